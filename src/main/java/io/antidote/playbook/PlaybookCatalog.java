package io.antidote.playbook;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The playbooks this instance can run: every {@code *.yaml} and {@code *.yml} file under
 * {@code antidote.playbooks.dir} (relative to the working directory), read once at startup.
 * A file that does not parse is logged with its errors and listed in {@link #invalid()}; it does
 * not keep the others from loading.
 */
@ApplicationScoped
public class PlaybookCatalog {

    private static final Logger LOG = Logger.getLogger(PlaybookCatalog.class);
    /** Larger files are refused unread; the parser's own limit is in characters. */
    static final long MAX_FILE_BYTES = 4L * PlaybookParser.MAX_CODE_POINTS;
    private static final int MAX_DEPTH = 8;

    private record Contents(Map<String, Playbook> byName, List<ParseResult.Invalid> invalid) {
        static final Contents EMPTY = new Contents(Map.of(), List.of());
    }

    @ConfigProperty(name = "antidote.playbooks.dir", defaultValue = "playbooks")
    String directory;

    private volatile Contents contents = Contents.EMPTY;

    void onStart(@Observes StartupEvent event) {
        load(Path.of(directory));
    }

    /** Replaces the catalog with the playbooks found under {@code root}. */
    void load(Path root) {
        if (!Files.isDirectory(root)) {
            LOG.warnf("Playbook directory %s does not exist; no playbooks are loaded", root.toAbsolutePath());
            contents = Contents.EMPTY;
            return;
        }
        Map<String, Playbook> byName = new LinkedHashMap<>();
        List<ParseResult.Invalid> invalid = new ArrayList<>();
        for (Path path : playbookFiles(root)) {
            String file = path.toString();
            ParseResult result = parse(path, file);
            if (result instanceof ParseResult.Valid valid) {
                Playbook playbook = valid.playbook();
                Playbook first = byName.putIfAbsent(playbook.name(), playbook);
                if (first != null) {
                    int[] position = PlaybookParser.positionOfTopLevelValue(playbook.source(), "name");
                    result = new ParseResult.Invalid(file, List.of(new PlaybookError(file, position[0], position[1],
                            "playbook name '" + playbook.name() + "' is already used by " + first.file())));
                }
            }
            if (result instanceof ParseResult.Invalid problem) {
                invalid.add(problem);
                LOG.errorf("Playbook %s is invalid and was not loaded:%n  %s", file,
                        String.join("\n  ", problem.errors().stream().map(PlaybookError::toString).toList()));
            }
        }
        byName.values().forEach(playbook -> LOG.infof("Loaded playbook %s (%d steps, sha256 %s) from %s",
                playbook.name(), playbook.steps().size(), playbook.digest(), playbook.file()));
        contents = new Contents(Map.copyOf(byName), List.copyOf(invalid));
    }

    /** Every valid playbook, by name. */
    public List<Playbook> all() {
        return contents.byName.values().stream().sorted(Comparator.comparing(Playbook::name)).toList();
    }

    public Optional<Playbook> find(String name) {
        return Optional.ofNullable(name).map(contents.byName::get);
    }

    /** The files that were found but not loaded, with their errors. */
    public List<ParseResult.Invalid> invalid() {
        return contents.invalid;
    }

    private static List<Path> playbookFiles(Path root) {
        // Symbolic links are not followed, so a link cannot pull in files from elsewhere or loop.
        try (Stream<Path> paths = Files.walk(root, MAX_DEPTH)) {
            return paths.filter(Files::isRegularFile)
                    .filter(path -> {
                        String name = path.getFileName().toString();
                        return name.endsWith(".yaml") || name.endsWith(".yml");
                    })
                    .sorted()
                    .toList();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Could not list playbooks under %s: %s", root.toAbsolutePath(), e.toString());
            return List.of();
        }
    }

    private static ParseResult parse(Path path, String file) {
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1,
                        "the file is larger than " + MAX_FILE_BYTES + " bytes")));
            }
            String source = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
            if (source.startsWith("\uFEFF")) {
                source = source.substring(1);
            }
            return PlaybookParser.parse(file, source);
        } catch (CharacterCodingException e) {
            return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1, "the file is not valid UTF-8")));
        } catch (IOException e) {
            return new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1,
                    "the file could not be read: " + e.getClass().getSimpleName())));
        }
    }
}

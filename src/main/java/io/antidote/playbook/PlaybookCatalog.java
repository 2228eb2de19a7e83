package io.antidote.playbook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The playbooks this instance can run: every {@code *.yaml} and {@code *.yml} file under
 * {@code antidote.playbooks.dir} (relative to the working directory), read at startup and again
 * whenever a file changes (polled every {@code antidote.playbooks.reload-interval}; 0 turns it off).
 * A file that does not parse is logged with its errors and listed in {@link #invalid()}; it does
 * not keep the others from loading, and if an earlier version of that file was valid, that version
 * stays in force until the file is fixed or removed.
 */
@ApplicationScoped
public class PlaybookCatalog {

    private static final Logger LOG = Logger.getLogger(PlaybookCatalog.class);
    /** Larger files are refused unread; the parser's own limit is in characters. */
    static final long MAX_FILE_BYTES = PlaybookFiles.MAX_FILE_BYTES;
    private static final int MAX_DEPTH = 8;

    /** Library steps live in this subdirectory of the playbook directory, one per file, named by the file. */
    public static final String LIBRARY_DIR = "steps";
    /** Alert rules live in this subdirectory (docs/alerts.md): they are not playbooks. */
    public static final String RULES_DIR = "rules";

    private record Contents(Map<String, Playbook> byName, List<ParseResult.Invalid> invalid, StepLibrary library) {
        static final Contents EMPTY = new Contents(Map.of(), List.of(), StepLibrary.EMPTY);
    }

    @Inject
    PlaybooksConfig config;

    /** The versions in force beyond this process (PostgreSQL in the service); tests set it directly. */
    @Inject
    jakarta.enterprise.inject.Instance<LastValidVersions> storedVersions;
    LastValidVersions stored = LastValidVersions.NONE;

    /** From {@link #config} at start; tests set it directly. */
    String directory;
    Duration reloadInterval;

    private volatile Contents contents = Contents.EMPTY;
    /** The last valid playbook read from each file: what stays in force while a newer version is invalid. */
    private final Map<String, Playbook> lastValidByFile = new HashMap<>();
    private List<String> lastFingerprint = List.of();
    private ScheduledExecutorService reloader;

    void onStart(@Observes StartupEvent event) {
        if (storedVersions != null && storedVersions.isResolvable()) {
            stored = storedVersions.get();
        }
        directory = config.dir();
        reloadInterval = config.reloadInterval();
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException("antidote.playbooks.reload-interval must not be negative, not " + reloadInterval);
        }
        load(Path.of(directory));
        if (reloadInterval != null && !reloadInterval.isZero() && !reloadInterval.isNegative()) {
            // Reading files blocks: a thread of its own, never the event loop.
            reloader = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "playbook-reload");
                thread.setDaemon(true);
                return thread;
            });
            long millis = Math.max(100, reloadInterval.toMillis());
            reloader.scheduleWithFixedDelay(this::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }

    /** Reads the directory again if any file was added, removed or changed (size or modification time). */
    public void reloadIfChanged() {
        try {
            Path root = Path.of(directory);
            if (!fingerprint(root).equals(lastFingerprint)) {
                load(root);
            }
        } catch (RuntimeException e) {
            // A failed poll must not end the polling: the next one tries again.
            LOG.errorf("Could not reload playbooks: %s", e.toString());
        }
    }

    /**
     * Replaces the catalog with the playbooks found under {@code root}. A name declared by two files or more is
     * an error in each of them, and neither is loaded: the version of that name in force before stays, rather
     * than the file that happens to sort first taking the name over.
     */
    synchronized void load(Path root) {
        lastFingerprint = fingerprint(root);
        if (!Files.isDirectory(root)) {
            LOG.warnf("Playbook directory %s does not exist; no playbooks are loaded", root.toAbsolutePath());
            contents = Contents.EMPTY;
            lastValidByFile.clear();
            return;
        }
        Map<String, Playbook> before = contents.byName;
        List<ParseResult.Invalid> invalid = new ArrayList<>();
        StepLibrary library = library(root, root.resolve(LIBRARY_DIR), invalid);
        Map<String, ParseResult> results = new LinkedHashMap<>();
        for (Path path : playbookFiles(root)) {
            String file = path.toString();
            Object read = read(root, path, file);
            results.put(file, read instanceof String text ? PlaybookParser.parse(file, text, library)
                    : (ParseResult.Invalid) read);
        }
        Map<String, ParseResult> checked = PlaybookNames.declaredOnce(results);
        Map<String, Playbook> byName = new LinkedHashMap<>();
        Map<String, Playbook> keptByName = new LinkedHashMap<>();
        checked.forEach((file, result) -> {
            if (results.get(file) instanceof ParseResult.Valid declaredTwice && result instanceof ParseResult.Invalid) {
                Playbook inForce = before.get(declaredTwice.playbook().name());
                if (inForce != null) {
                    keptByName.putIfAbsent(declaredTwice.playbook().name(), inForce);
                }
            } else if (result instanceof ParseResult.Invalid) {
                Playbook previous = lastValidByFile.get(file);
                if (previous == null) {
                    // A process that never saw this file valid: the version in force before it started.
                    previous = lastValidStored(root, file).orElse(null);
                }
                if (previous != null) {
                    LOG.warnf("Playbook %s keeps version sha256 %s in force: the file now has errors", file,
                            previous.digest());
                    keptByName.putIfAbsent(previous.name(), previous);
                    lastValidByFile.put(file, previous);
                }
            }
            if (result instanceof ParseResult.Valid valid) {
                byName.put(valid.playbook().name(), valid.playbook());
                lastValidByFile.put(file, valid.playbook());
            } else if (result instanceof ParseResult.Invalid problem) {
                invalid.add(problem);
                LOG.errorf("Playbook file %s is invalid; this version was not loaded:%n  %s", file,
                        String.join("\n  ", problem.errors().stream().map(PlaybookError::toString).toList()));
            }
        });
        // A valid file wins its name over a version only kept in force.
        keptByName.forEach(byName::putIfAbsent);
        byName.values().forEach(playbook -> LOG.infof("Loaded playbook %s (%d steps, sha256 %s) from %s",
                playbook.name(), playbook.steps().size(), playbook.digest(), playbook.file()));
        lastValidByFile.keySet().retainAll(results.keySet());
        contents = new Contents(Map.copyOf(byName), List.copyOf(invalid), library);
        keep(root, results);
    }

    private Optional<Playbook> lastValidStored(Path root, String file) {
        try {
            return stored.lastValid(relative(root, file));
        } catch (RuntimeException e) {
            LOG.errorf("Playbook %s has errors and its last valid version could not be read back: %s", file,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Tells the store which version of each valid file is in force now; a failure only costs the fallback. */
    private void keep(Path root, Map<String, ParseResult> results) {
        Map<String, Playbook> validByFile = new LinkedHashMap<>();
        results.forEach((file, result) -> {
            if (result instanceof ParseResult.Valid valid && valid.playbook() == contents.byName.get(valid.playbook().name())) {
                validByFile.put(relative(root, file), valid.playbook());
            }
        });
        Set<String> files = new HashSet<>();
        results.keySet().forEach(file -> files.add(relative(root, file)));
        try {
            stored.inForce(validByFile, files);
        } catch (RuntimeException e) {
            LOG.errorf("The playbook versions in force could not be stored (a restart would not keep them while "
                    + "their files are broken): %s", e.getMessage());
        }
    }

    private static String relative(Path root, String file) {
        return root.relativize(Path.of(file)).toString();
    }

    /**
     * Reads every library step file directly under {@code dir}; files that do not parse, or that sit where
     * no step is looked for, are added to {@code invalid} (a playbook using a broken step lists its errors too).
     */
    private static StepLibrary library(Path root, Path dir, List<ParseResult.Invalid> invalid) {
        Map<String, String[]> files = new java.util.TreeMap<>();
        Map<String, ParseResult.Invalid> unreadable = new java.util.TreeMap<>();
        for (Path path : yamlFiles(dir)) {
            String file = path.toString();
            String fileName = path.getFileName().toString();
            String name = fileName.substring(0, fileName.lastIndexOf('.'));
            if (!path.getParent().equals(dir)) {
                invalid.add(new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1, "library steps are read"
                        + " only directly in " + dir + "; this file in a subdirectory is not used"))));
            } else if (files.containsKey(name) || unreadable.containsKey(name)) {
                String first = files.containsKey(name) ? files.get(name)[0] : unreadable.get(name).file();
                invalid.add(new ParseResult.Invalid(file, List.of(new PlaybookError(file, 1, 1,
                        "library step '" + name + "' is already defined by " + first))));
            } else {
                Object read = read(root, path, file);
                if (read instanceof String text) {
                    files.put(name, new String[] {file, text});
                } else {
                    unreadable.put(name, (ParseResult.Invalid) read);
                }
            }
        }
        StepLibrary parsed = StepLibrary.read(files);
        Map<String, ParseResult.Invalid> broken = new java.util.TreeMap<>(parsed.invalid());
        broken.putAll(unreadable);
        broken.values().forEach(problem -> {
            invalid.add(problem);
            LOG.errorf("Library step file %s is invalid; playbooks using it do not load:%n  %s", problem.file(),
                    String.join("\n  ", problem.errors().stream().map(PlaybookError::toString).toList()));
        });
        parsed.steps().values().forEach(step -> LOG.infof("Loaded library step %s (sha256 %s) from %s", step.name(),
                step.digest(), step.file()));
        return new StepLibrary(parsed.steps(), broken);
    }

    /** The library steps directly in {@code dir}, as the catalog reads them (tools and tests). */
    public static StepLibrary readLibrary(Path dir) {
        return library(dir, dir, new ArrayList<>());
    }

    /** The step library playbooks were last read with. */
    public StepLibrary library() {
        return contents.library;
    }

    /** Path, size and modification time of every playbook file, in path order. */
    private static List<String> fingerprint(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        // A linked library directory (a Kubernetes volume's) is not walked into from the root: list it too.
        Set<Path> files = new java.util.TreeSet<>(yamlFiles(root));
        files.addAll(yamlFiles(root.resolve(LIBRARY_DIR)));
        for (Path path : files) {
            try {
                parts.add(path + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis());
            } catch (IOException e) {
                parts.add(path + "|unreadable");
            }
        }
        return parts;
    }

    /** Every valid playbook, by name. */
    public List<Playbook> all() {
        return contents.byName.values().stream().sorted(Comparator.comparing(Playbook::name)).toList();
    }

    public Optional<Playbook> find(String name) {
        return Optional.ofNullable(name).map(contents.byName::get);
    }

    /**
     * The files that were found but not loaded, with their errors. A file listed here may still
     * provide a playbook: its last valid version, see {@link #inForce(String)}.
     */
    public List<ParseResult.Invalid> invalid() {
        return contents.invalid;
    }

    /** The playbook that stays in force for a file whose current version is invalid, if it had a valid one. */
    public synchronized Optional<Playbook> inForce(String file) {
        Playbook playbook = lastValidByFile.get(file);
        return playbook != null && find(playbook.name()).filter(p -> p == playbook).isPresent()
                ? Optional.of(playbook) : Optional.empty();
    }

    /** Every YAML file under {@code root} but those of the step library and the alert rules. */
    private static List<Path> playbookFiles(Path root) {
        Path library = root.resolve(LIBRARY_DIR);
        Path rules = root.resolve(RULES_DIR);
        return yamlFiles(root).stream().filter(path -> !path.startsWith(library) && !path.startsWith(rules)).toList();
    }

    /**
     * Every YAML file under {@code root}, named by its path under {@code root}. Entries whose name starts with a
     * dot are skipped: Kubernetes keeps a volume's files in a hidden {@code ..<timestamp>} directory and links
     * each name to it, so walking into it would read every file twice.
     */
    private static List<Path> yamlFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        Path start = walkStart(root);
        // Symbolic links are not followed below the start, so a link cannot pull in files from elsewhere or loop.
        try (Stream<Path> paths = Files.walk(start, MAX_DEPTH)) {
            return paths.filter(path -> !hidden(start.relativize(path)))
                    .filter(Files::isRegularFile)
                    .filter(path -> {
                        String name = path.getFileName().toString();
                        return name.endsWith(".yaml") || name.endsWith(".yml");
                    })
                    .map(path -> root.resolve(start.relativize(path).toString()))
                    .sorted()
                    .toList();
        } catch (IOException | RuntimeException e) {
            LOG.errorf("Could not list playbooks under %s: %s", root.toAbsolutePath(), e.toString());
            return List.of();
        }
    }

    /**
     * Where to walk {@code dir} from: itself, or, when it is a Kubernetes volume's link ({@code steps ->
     * ..data/steps}, into the volume's hidden data directory), its target; any other link is not walked.
     */
    private static Path walkStart(Path dir) {
        if (!Files.isSymbolicLink(dir)) {
            return dir;
        }
        try {
            Path target = dir.toRealPath();
            Path holder = dir.toAbsolutePath().getParent();
            if (holder != null && target.startsWith(holder.toRealPath()) && PlaybookFiles.linkRefused(holder, dir) == null) {
                return target;
            }
            LOG.warnf("%s is a link other than a Kubernetes volume's into %s and is not read", dir, holder);
        } catch (IOException e) {
            LOG.errorf("Could not follow %s: %s", dir, e.toString());
        }
        return dir;
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static Object read(Path root, Path path, String file) {
        return PlaybookFiles.read(root, path, file);
    }
}

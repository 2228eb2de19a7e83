package io.antidote.playbook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The alert rules of some directories (docs/alerts.md): every {@code *.yaml} and {@code *.yml} file directly in
 * each, directory by directory and by file name within one, which is the order rules are tried in. Files are read
 * as playbook files are ({@link PlaybookFiles}); a name declared twice is an error in the later file, which is not
 * used. Used by the service and by {@code antidote lint}.
 */
public final class AlertRuleFiles {

    /** The rules that parsed, in the order they are tried, and every file that did not. */
    public record Loaded(List<AlertRule> rules, List<ParseResult.Invalid> invalid) {
        public static final Loaded NONE = new Loaded(List.of(), List.of());

        public Loaded {
            rules = List.copyOf(rules);
            invalid = List.copyOf(invalid);
        }
    }

    private AlertRuleFiles() {
    }

    public static Loaded read(List<Path> directories) {
        Map<String, AlertRule> byName = new LinkedHashMap<>();
        List<ParseResult.Invalid> invalid = new ArrayList<>();
        for (Path directory : directories) {
            for (Path path : files(directory)) {
                String file = path.toString();
                Object read = PlaybookFiles.read(directory, path, file);
                if (read instanceof ParseResult.Invalid unreadable) {
                    invalid.add(unreadable);
                    continue;
                }
                AlertRuleParser.Result result = AlertRuleParser.parse(file, (String) read);
                if (!result.valid()) {
                    invalid.add(result.invalid());
                    continue;
                }
                AlertRule first = byName.putIfAbsent(result.rule().name(), result.rule());
                if (first != null) {
                    int[] at = YamlDocument.positionOfTopLevelValue((String) read, "name");
                    invalid.add(new ParseResult.Invalid(file, List.of(new PlaybookError(file, at[0], at[1],
                            "alert rule '" + result.rule().name() + "' is already declared by " + first.file()
                                    + "; this file is not used"))));
                }
            }
        }
        return new Loaded(List.copyOf(byName.values()), invalid);
    }

    /** An error about a valid rule, at the value of its top-level {@code key} (as its file reads now). */
    public static PlaybookError at(AlertRule rule, String key, String message) {
        Object read = PlaybookFiles.read(Path.of(rule.file()).toAbsolutePath().getParent(), Path.of(rule.file()), rule.file());
        int[] position = read instanceof String text ? YamlDocument.positionOfTopLevelValue(text, key) : new int[] {1, 1};
        return new PlaybookError(rule.file(), position[0], position[1], message);
    }

    /** The YAML files directly in {@code directory}, by name; none if it does not exist. */
    public static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(directory)) {
            return paths.filter(path -> !path.getFileName().toString().startsWith("."))
                    .filter(path -> {
                        String name = path.getFileName().toString();
                        return name.endsWith(".yaml") || name.endsWith(".yml");
                    })
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}

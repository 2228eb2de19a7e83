package io.antidote.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.antidote.playbook.AlertRule;
import io.antidote.playbook.AlertRuleFiles;
import io.antidote.playbook.AlertRuleParser;
import io.antidote.playbook.ParseResult;
import io.antidote.playbook.PlaybookError;
import io.antidote.playbook.PlaybookFiles;
import io.antidote.playbook.PlaybookNames;
import io.antidote.playbook.PlaybookParser;
import io.antidote.playbook.StepLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Checks playbook and library step files on this machine, before they reach a server, with the service's own
 * reader and parser ({@link PlaybookFiles}, {@link PlaybookParser}): the same errors, at the same line and column,
 * as {@code GET /api/v1/playbooks/errors} would list. A playbook is read with the library steps of the
 * {@code steps/} directory beside it, as the service reads its playbook directory; a file in a {@code steps/}
 * directory is a library step, named by its file. Files in a {@code rules/} directory are alert rules
 * (docs/alerts.md), read with the service's rule parser; in a directory, a rule must name one of its playbooks.
 */
@Command(name = "lint", description = "Check playbooks, library steps and alert rules (files or directories) offline, "
        + "with the service's parser; prints file:line:column: message for each error. Needs no server.")
final class LintCommand implements Callable<Integer> {

    private static final String LIBRARY_DIR = "steps";
    /** As io.antidote.playbook.PlaybookCatalog.RULES_DIR, which the CLI's jar leaves out with the catalog. */
    private static final String RULES_DIR = "rules";

    @Mixin
    Printer printer;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Playbook files, library step files or playbook directories.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        List<PlaybookError> errors = new ArrayList<>();
        // Playbook files named one by one, by the directory the service would load them from together.
        Map<Path, Map<String, ParseResult>> byDirectory = new java.util.LinkedHashMap<>();
        int files = 0;
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                StepLibrary library = library(path.resolve(LIBRARY_DIR), errors);
                files += library.steps().size() + library.invalid().size();
                Map<String, ParseResult> results = new java.util.LinkedHashMap<>();
                for (Path file : playbooks(path)) {
                    results.put(file.toString(), playbook(file, library));
                    files++;
                }
                java.util.Set<String> names = new java.util.HashSet<>();
                PlaybookNames.declaredOnce(results).values().forEach(result -> {
                    if (result instanceof ParseResult.Valid valid) {
                        names.add(valid.playbook().name());
                    }
                    errors.addAll(errors(result));
                });
                files += AlertRuleFiles.files(path.resolve(RULES_DIR)).size();
                errors.addAll(rules(path.resolve(RULES_DIR), names));
            } else if (Files.isRegularFile(path)) {
                Path parent = path.toAbsolutePath().getParent();
                if (parent.getFileName() != null && parent.getFileName().toString().equals(LIBRARY_DIR)) {
                    errors.addAll(libraryStep(path));
                } else if (parent.getFileName() != null && parent.getFileName().toString().equals(RULES_DIR)) {
                    errors.addAll(rule(path));
                } else {
                    byDirectory.computeIfAbsent(parent.normalize(), dir -> new java.util.LinkedHashMap<>())
                            .put(path.toString(), playbook(path, library(parent.resolve(LIBRARY_DIR), new ArrayList<>())));
                }
                files++;
            } else {
                throw new CommandFailed(Exit.USAGE, path + ": no such file or directory");
            }
        }
        byDirectory.values().forEach(results -> PlaybookNames.declaredOnce(results).values()
                .forEach(result -> errors.addAll(errors(result))));
        if (printer.json) {
            ArrayNode list = Api.JSON.createArrayNode();
            errors.forEach(e -> list.addObject().put("file", e.file()).put("line", e.line()).put("column", e.column())
                    .put("message", e.message()));
            printer.json(Api.JSON.createObjectNode().put("files", files).put("valid", errors.isEmpty()).set("errors", list));
        } else {
            errors.forEach(error -> printer.line(error.toString()));
            printer.line(files + (files == 1 ? " file" : " files") + " checked, " + errors.size()
                    + (errors.size() == 1 ? " error" : " errors"));
        }
        return errors.isEmpty() ? Exit.OK : Exit.FAILED;
    }

    private static ParseResult playbook(Path file, StepLibrary library) {
        Object read = PlaybookFiles.read(file.toAbsolutePath().getParent(), file, file.toString());
        return read instanceof String text ? PlaybookParser.parse(file.toString(), text, library) : (ParseResult) read;
    }

    private static List<PlaybookError> errors(ParseResult result) {
        return result instanceof ParseResult.Invalid invalid ? invalid.errors() : List.of();
    }

    private static List<PlaybookError> rule(Path file) {
        Object read = PlaybookFiles.read(file.toAbsolutePath().getParent(), file, file.toString());
        if (!(read instanceof String text)) {
            return ((ParseResult.Invalid) read).errors();
        }
        AlertRuleParser.Result result = AlertRuleParser.parse(file.toString(), text);
        return result.valid() ? List.of() : result.invalid().errors();
    }

    /** The errors of the rules in {@code dir}, and of each valid one naming none of the directory's {@code playbooks}. */
    private static List<PlaybookError> rules(Path dir, java.util.Set<String> playbooks) {
        AlertRuleFiles.Loaded loaded = AlertRuleFiles.read(List.of(dir));
        List<PlaybookError> errors = new ArrayList<>();
        loaded.invalid().forEach(invalid -> errors.addAll(invalid.errors()));
        for (AlertRule rule : loaded.rules()) {
            if (!playbooks.contains(rule.playbook())) {
                errors.add(AlertRuleFiles.at(rule, "playbook", "alert rule '" + rule.name() + "' requests playbook '"
                        + rule.playbook() + "', which is not a valid playbook of " + dir.getParent()));
            }
        }
        return errors;
    }

    private static List<PlaybookError> libraryStep(Path file) {
        Object read = PlaybookFiles.read(file.toAbsolutePath().getParent(), file, file.toString());
        if (!(read instanceof String text)) {
            return ((ParseResult.Invalid) read).errors();
        }
        StepLibrary.LibraryStepParse parsed = PlaybookParser.parseLibraryStep(file.toString(), name(file), text);
        return parsed.invalid() == null ? List.of() : parsed.invalid().errors();
    }

    /** The library steps directly in {@code dir}; the errors of those that do not parse are added to {@code errors}. */
    private static StepLibrary library(Path dir, List<PlaybookError> errors) throws IOException {
        Map<String, String[]> texts = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(LintCommand::yaml).sorted().toList()) {
                    Object read = PlaybookFiles.read(dir, file, file.toString());
                    if (read instanceof String text) {
                        texts.put(name(file), new String[] {file.toString(), text});
                    } else {
                        errors.addAll(((ParseResult.Invalid) read).errors());
                    }
                }
            }
        }
        StepLibrary library = StepLibrary.read(texts);
        library.invalid().values().forEach(invalid -> errors.addAll(invalid.errors()));
        return library;
    }

    /** Every YAML file under {@code dir} but the library's, the rules' and hidden ones, in path order. */
    private static List<Path> playbooks(Path dir) throws IOException {
        Path library = dir.resolve(LIBRARY_DIR);
        Path rules = dir.resolve(RULES_DIR);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(LintCommand::yaml)
                    .filter(file -> !file.startsWith(library) && !file.startsWith(rules))
                    .filter(file -> !hidden(dir.relativize(file)))
                    .sorted().toList();
        }
    }

    /** As the service: a Kubernetes volume's hidden data directory would list every file twice. */
    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean yaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static String name(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }
}

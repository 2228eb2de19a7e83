package io.antidote.playbook;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The library steps a playbook may use, by name, and the library files that did not parse (so that a
 * playbook using one can say why it cannot).
 */
public record StepLibrary(Map<String, LibraryStep> steps, Map<String, ParseResult.Invalid> invalid) {

    public static final StepLibrary EMPTY = new StepLibrary(Map.of(), Map.of());

    public StepLibrary {
        steps = Collections.unmodifiableMap(new TreeMap<>(steps));
        invalid = Collections.unmodifiableMap(new TreeMap<>(invalid));
    }

    public Optional<LibraryStep> find(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    public List<LibraryStep> all() {
        return List.copyOf(steps.values());
    }

    /** Reads library files: step name to {file, text}. Each file is checked on its own. */
    public static StepLibrary read(Map<String, String[]> files) {
        Map<String, LibraryStep> valid = new TreeMap<>();
        Map<String, ParseResult.Invalid> invalid = new TreeMap<>();
        files.forEach((name, fileAndText) -> {
            LibraryStepParse parsed = readStep(fileAndText[0], name, fileAndText[1]);
            if (parsed.step() != null) {
                valid.put(name, parsed.step());
            } else {
                invalid.put(name, parsed.invalid());
            }
        });
        return new StepLibrary(valid, invalid);
    }

    /** Reads one library file; {@code name} is the name playbooks use it by (its file name). */
    static LibraryStepParse readStep(String file, String name, String source) {
        YamlDocument document = new YamlDocument(file, source);
        LibraryStep step = LibraryStepReader.read(document, name);
        return step == null ? new LibraryStepParse(null, document.invalid()) : new LibraryStepParse(step, null);
    }

    /** One library file read: the step, or its errors. */
    public record LibraryStepParse(LibraryStep step, ParseResult.Invalid invalid) {
    }
}

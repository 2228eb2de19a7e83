package io.antidote.playbook;

/**
 * Reads a playbook or a library step from YAML, node by node, so that every problem is reported with its
 * line and column, and all problems of a file are reported at once. The format is described in
 * docs/playbooks.md. The work is done by a small YAML toolkit ({@link YamlDocument}: limits, positions,
 * errors; {@link YamlValues}: typed scalars and keys) and one reader per section ({@link PlaybookReader},
 * {@link ParamsReader}, {@link StepsReader}, {@link StrategyReader}, {@link TargetsReader},
 * {@link LibraryStepReader}).
 */
public final class PlaybookParser {

    /** A playbook is a small file: anything larger is refused before YAML sees it. */
    static final int MAX_CODE_POINTS = YamlDocument.MAX_CODE_POINTS;

    private PlaybookParser() {
    }

    public static ParseResult parse(String file, String source) {
        return parse(file, source, StepLibrary.EMPTY);
    }

    /** Parses a playbook whose steps may use the steps of {@code library} ({@code uses:}). */
    public static ParseResult parse(String file, String source, StepLibrary library) {
        return PlaybookReader.read(new YamlDocument(file, source), library);
    }

    /** Parses one library step file; {@code name} is the name playbooks use it by (its file name). */
    public static StepLibrary.LibraryStepParse parseLibraryStep(String file, String name, String source) {
        return StepLibrary.readStep(file, name, source);
    }

    /** Lowercase hex SHA-256 of the UTF-8 bytes of {@code source}: how playbook versions are named. */
    static String sha256(String source) {
        return Sha256.hex(source);
    }
}

package io.antidote.playbook;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One YAML file being read: composes it within safe limits and collects every problem found in it with
 * its line and column, so that all problems of a file are reported at once, in file order. The readers of
 * each section record their problems here.
 */
final class YamlDocument {

    /** A playbook is a small file: anything larger is refused before YAML sees it. */
    static final int MAX_CODE_POINTS = 1_048_576;

    /** Types a playbook may use, explicitly or implicitly; everything else (!!binary, !!set, local and global tags) is refused. */
    static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP,
            Tag.MAP, Tag.SEQ, Tag.MERGE);

    private final String file;
    private final String source;
    private final List<PlaybookError> errors = new ArrayList<>();
    /** Errors of other files (library steps this one uses), reported after its own, as those files reported them. */
    private final List<PlaybookError> otherFilesErrors = new ArrayList<>();
    private String[] sourceLines;

    YamlDocument(String file, String source) {
        this.file = file == null ? "<unnamed>" : file;
        this.source = source;
    }

    String file() {
        return file;
    }

    String source() {
        return source;
    }

    /** SnakeYAML limits against YAML bombs and object-instantiation tags; composing never builds Java objects. */
    static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        // compose() does not check duplicates; we report them ourselves, with the line of both keys.
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(20);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(32);
        options.setCodePointLimit(MAX_CODE_POINTS);
        options.setMergeOnCompose(false);
        options.setProcessComments(false);
        options.setTagInspector(tag -> false);
        return options;
    }

    static Node compose(String source) {
        return new Yaml(new SafeConstructor(loaderOptions())).compose(new StringReader(source));
    }

    /** 1-based line and column of a top-level key's value in a source that parsed, or {1, 1}. */
    static int[] positionOfTopLevelValue(String source, String key) {
        try {
            if (compose(source) instanceof MappingNode top) {
                for (NodeTuple tuple : top.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                        Mark mark = tuple.getValueNode().getStartMark();
                        return new int[] {mark.getLine() + 1, mark.getColumn() + 1};
                    }
                }
            }
        } catch (YAMLException e) {
            // Only called on sources that parsed; fall through to the top of the file.
        }
        return new int[] {1, 1};
    }

    /** The composed document, or null once its errors are recorded. */
    Node root(String what, String expected) {
        if (source == null) {
            return invalid(1, 1, what + " has no content");
        }
        if (source.length() > 2 * MAX_CODE_POINTS || source.codePointCount(0, source.length()) > MAX_CODE_POINTS) {
            return invalid(1, 1, what + " is larger than the limit of " + MAX_CODE_POINTS + " characters");
        }
        if (!checkCharacters()) {
            return null;
        }
        Node root;
        try {
            root = compose(source);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String message = "invalid YAML: " + e.getProblem()
                    + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
            return mark == null ? invalid(1, 1, message) : invalid(mark.getLine() + 1, mark.getColumn() + 1, message);
        } catch (YAMLException e) {
            // The limits (aliases, nesting, size) carry no position.
            return invalid(1, 1, "invalid YAML: " + e.getMessage());
        }
        if (root == null) {
            return invalid(1, 1, what + " is empty; expected " + expected);
        }
        checkTags(root, Collections.newSetFromMap(new IdentityHashMap<>()));
        return root;
    }

    private Node invalid(int line, int column, String message) {
        errors.add(new PlaybookError(file, line, column, message));
        return null;
    }

    void error(Node node, String message) {
        Mark mark = node.getStartMark();
        errors.add(new PlaybookError(file, mark.getLine() + 1, mark.getColumn() + 1, message));
    }

    void error(int line, int column, String message) {
        errors.add(new PlaybookError(file, line, column, message));
    }

    /** Problems of another file that make this one unusable, listed after this file's own. */
    void addOtherFileErrors(Collection<PlaybookError> problems) {
        otherFilesErrors.addAll(problems);
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** How many problems so far: a reader compares counts to tell whether a part of the file had any. */
    int errorCount() {
        return errors.size();
    }

    /** Every problem found, as the file's verdict. */
    ParseResult.Invalid invalid() {
        return new ParseResult.Invalid(file, sortedErrors());
    }

    private List<PlaybookError> sortedErrors() {
        // An aliased node is visited once per alias: report each problem once.
        List<PlaybookError> unique = new ArrayList<>(new LinkedHashSet<>(errors));
        unique.sort(Comparator.comparingInt(PlaybookError::line).thenComparingInt(PlaybookError::column));
        // Then the errors of the library files it uses, each file's as that file reported them.
        new LinkedHashSet<>(otherFilesErrors).stream().filter(e -> !unique.contains(e)).forEach(unique::add);
        return unique;
    }

    static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    String sourceLine(int oneBasedLine) {
        if (sourceLines == null) {
            sourceLines = source.split("\r\n|[\n\r\u0085\u2028\u2029]", -1);
        }
        return oneBasedLine - 1 < sourceLines.length ? sourceLines[oneBasedLine - 1] : "";
    }

    /** SnakeYAML's own message for these has no usable position; find the first one ourselves. */
    private boolean checkCharacters() {
        int line = 1;
        int column = 1;
        for (int i = 0; i < source.length(); ) {
            int c = source.codePointAt(i);
            boolean printable = c == 0x9 || c == 0xA || c == 0xD || c >= 0x20 && c <= 0x7E || c == 0x85
                    || c >= 0xA0 && c <= 0xD7FF || c >= 0xE000 && c <= 0xFFFD || c >= 0x10000 && c <= 0x10FFFF;
            if (!printable) {
                errors.add(new PlaybookError(file, line, column, String.format(
                        "character U+%04X is not allowed in a YAML file (write it as an escape in a double-quoted string)", c)));
                return false;
            }
            int next = i + Character.charCount(c);
            boolean crlf = c == '\r' && next < source.length() && source.charAt(next) == '\n';
            if (c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029 || c == '\r' && !crlf) {
                line++;
                column = 1;
            } else if (!crlf) {
                column++;
            }
            i = next;
        }
        return true;
    }

    private void checkTags(Node node, Set<Node> seen) {
        if (!seen.add(node)) {
            return;
        }
        if (!ALLOWED_TAGS.contains(node.getTag())) {
            String tag = node.getTag().getValue();
            String shown = tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
            error(node, "tag '" + Text.shorten(shown) + "' is not allowed; playbooks use plain strings, numbers,"
                    + " booleans, lists and mappings");
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                checkTags(tuple.getKeyNode(), seen);
                checkTags(tuple.getValueNode(), seen);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                checkTags(item, seen);
            }
        }
    }
}

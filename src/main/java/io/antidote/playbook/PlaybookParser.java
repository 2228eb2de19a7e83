package io.antidote.playbook;

import org.yaml.snakeyaml.DumperOptions;
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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a playbook from YAML, node by node, so that every problem is reported with its line and
 * column, and all problems of a file are reported at once. The format is described in docs/playbooks.md.
 */
public final class PlaybookParser {

    /** A playbook is a small file: anything larger is refused before YAML sees it. */
    static final int MAX_CODE_POINTS = 1_048_576;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);
    static final int MAX_NAME_LENGTH = 100;

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,7})(s|m|h)");

    private static final List<String> TOP_KEYS = List.of("name", "description", "version", "references", "params", "steps",
            "strategy", "targets");
    private static final List<String> REFERENCE_KEYS = List.of("cves", "kbs", "links");
    private static final List<String> PARAM_KEYS = List.of("type", "description", "default", "required", "values", "pattern");
    private static final List<String> STEP_KEYS = List.of("id", "description", "powershell", "timeout", "expect",
            "when", "outputs", "retry", "approval", "compensate", "keepOnFailure", "compensationOnly", "idempotent",
            "uses", "with");
    private static final List<String> LIBRARY_KEYS = List.of("description", "inputs", "powershell", "timeout", "retry",
            "expect", "idempotent");
    private static final List<String> TARGET_KEYS = List.of("names", "labels");
    private static final List<String> CONDITION_KEYS = List.of("param", "step", "output", "equals", "notEquals");
    private static final List<String> RETRY_KEYS = List.of("attempts", "backoff", "delay", "maxDelay", "retryOn", "exitCodes");
    private static final List<String> RETRY_ON = List.of("connection", "timeout");
    private static final List<String> APPROVAL_KEYS = List.of("role", "timeout", "requesterMayApprove");
    private static final List<String> STRATEGY_KEYS = List.of("batchSize", "failureThreshold", "orderBy", "groupBy");
    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3})%");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");
    private static final List<String> EXPECT_KEYS = List.of("exitCode", "stdout", "json");
    private static final List<String> CHECK_KEYS = List.of("proxylogonPatched", "empty", "equals", "versionAtLeast",
            "versionBelow");

    private static final Map<String, Pattern> REFERENCE_FORMATS = Map.of(
            "cves", Pattern.compile("CVE-[0-9]{4}-[0-9]{4,}"),
            "kbs", Pattern.compile("KB[0-9]{6,8}"),
            "links", Pattern.compile("https?://[^\\s]+"));
    private static final Map<String, String> REFERENCE_EXAMPLES = Map.of(
            "cves", "a CVE id such as CVE-2021-26855",
            "kbs", "a KB number such as KB5000871",
            "links", "an http(s) URL");

    /** Types a playbook may use, explicitly or implicitly; everything else (!!binary, !!set, local and global tags) is refused. */
    private static final Set<Tag> ALLOWED_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.TIMESTAMP,
            Tag.MAP, Tag.SEQ, Tag.MERGE);
    private static final Set<Tag> TEXT_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.TIMESTAMP);

    /**
     * PowerShell variables a parameter must not shadow or overwrite: constants, automatic variables
     * and those that change how the script runs (every *Preference variable is refused too).
     */
    private static final Set<String> RESERVED_VARIABLES = Set.of(
            "true", "false", "null", "_", "args", "input", "this", "psitem", "host", "error", "executioncontext",
            "home", "pid", "pwd", "pshome", "shellid", "myinvocation", "psboundparameters", "pscmdlet",
            "psscriptroot", "pscommandpath", "psversiontable", "psedition", "matches", "lastexitcode", "foreach",
            "switch", "event", "eventargs", "eventsubscriber", "sender", "stacktrace", "consolefilename",
            "nestedpromptlevel", "profile", "psculture", "psuiculture", "psdebugcontext", "iscoreclr", "islinux",
            "ismacos", "iswindows", "enabledexperimentalfeatures", "ofs", "psdefaultparametervalues",
            "pssessionoption", "pssessionconfigurationname", "pssessionapplicationname", "psemailserver",
            "maximumhistorycount", "formatenumerationlimit", "psnativecommandargumentpassing", "psstyle", "env");

    private PlaybookParser() {
    }

    public static ParseResult parse(String file, String source) {
        return parse(file, source, StepLibrary.EMPTY);
    }

    /** Parses a playbook whose steps may use the steps of {@code library} ({@code uses:}). */
    public static ParseResult parse(String file, String source, StepLibrary library) {
        return new Reading(file == null ? "<unnamed>" : file, source, library).read();
    }

    /** Parses one library step file; {@code name} is the name playbooks use it by (its file name). */
    public static StepLibrary.LibraryStepParse parseLibraryStep(String file, String name, String source) {
        return new Reading(file == null ? "<unnamed>" : file, source, StepLibrary.EMPTY).readLibraryStep(name);
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

    static String sha256(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** One parse of one file: collects errors as it goes. */
    private static final class Reading {

        private final String file;
        private final String source;
        private final List<PlaybookError> errors = new ArrayList<>();
        private String[] sourceLines;
        private List<Param> declaredParams = List.of();
        /** Where each parsed condition was written, to report references it makes that turn out wrong. */
        private final Map<Condition, Node> conditionNodes = new IdentityHashMap<>();
        private final StepLibrary library;
        /** The library steps this playbook uses, by name: part of its identity. */
        private final Map<String, LibraryStep> used = new java.util.TreeMap<>();
        /** Errors of library files this playbook uses, reported with its own (they carry their own file). */
        private final List<PlaybookError> libraryErrors = new ArrayList<>();

        Reading(String file, String source, StepLibrary library) {
            this.file = file;
            this.source = source;
            this.library = library;
        }

        ParseResult read() {
            Node root = root("the playbook", "a mapping with at least 'name' and 'steps'");
            Playbook playbook = root == null ? null : playbook(root);
            if (!errors.isEmpty() || playbook == null) {
                return new ParseResult.Invalid(file, sortedErrors());
            }
            return new ParseResult.Valid(playbook);
        }

        StepLibrary.LibraryStepParse readLibraryStep(String name) {
            Node root = root("the library step", "a mapping with at least 'powershell'");
            LibraryStep step = root == null ? null : libraryStep(root, name);
            if (!errors.isEmpty() || step == null) {
                return new StepLibrary.LibraryStepParse(null, new ParseResult.Invalid(file, sortedErrors()));
            }
            return new StepLibrary.LibraryStepParse(step, null);
        }

        /** The composed document, or null once its errors are recorded. */
        private Node root(String what, String expected) {
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

        private List<PlaybookError> sortedErrors() {
            // An aliased node is visited once per alias: report each problem once.
            List<PlaybookError> unique = new ArrayList<>(new LinkedHashSet<>(errors));
            unique.sort(Comparator.comparingInt(PlaybookError::line).thenComparingInt(PlaybookError::column));
            // Then the errors of the library files it uses, each file's as that file reported them.
            new LinkedHashSet<>(libraryErrors).stream().filter(e -> !unique.contains(e)).forEach(unique::add);
            return unique;
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

        // ---- the playbook ----

        private Playbook playbook(Node root) {
            if (!(root instanceof MappingNode top)) {
                error(root, "a playbook must be a mapping with at least 'name' and 'steps', found " + kind(root));
                return null;
            }
            Map<String, NodeTuple> keys = keys(top, "at the top level", TOP_KEYS);

            String name = null;
            if (!keys.containsKey("name")) {
                error(top, "missing required key 'name' at the top level");
            } else {
                name = name(keys.get("name").getValueNode(), "'name'");
            }
            String description = optionalText(keys, "description", "'description'");
            int version = 1;
            if (keys.containsKey("version")) {
                Node node = keys.get("version").getValueNode();
                Long number = integer(node, "'version'");
                if (number != null && (number < 1 || number > Integer.MAX_VALUE)) {
                    error(node, "'version' must be a positive integer, found " + number);
                } else if (number != null) {
                    version = number.intValue();
                }
            }
            Map<String, List<String>> references = keys.containsKey("references")
                    ? references(keys.get("references").getValueNode()) : Map.of();
            List<Param> params = keys.containsKey("params") ? params(keys.get("params").getValueNode()) : List.of();
            List<Step> steps = List.of();
            if (!keys.containsKey("steps")) {
                error(top, "missing required key 'steps' at the top level");
            } else {
                steps = steps(keys.get("steps").getValueNode());
            }
            checkCompensations(steps);
            Rollout rollout = keys.containsKey("strategy") ? strategy(keys.get("strategy").getValueNode()) : Rollout.DEFAULT;
            TargetSelector targets = keys.containsKey("targets") ? targets(keys.get("targets").getValueNode())
                    : TargetSelector.NONE;
            if (!errors.isEmpty()) {
                return null;
            }
            String digest = used.isEmpty() ? sha256(source) : sha256(PlaybookBundle.encode(source, used));
            return new Playbook(name, description, version, references, params, steps, file, source, digest,
                    rollout, used, targets);
        }

        /** {@code targets: { names: [...], labels: { role: mailbox } }}: the targets a run acts on by default. */
        private TargetSelector targets(Node node) {
            String in = "in targets";
            MappingNode mapping = mapping(node, "'targets'");
            if (mapping == null) {
                return TargetSelector.NONE;
            }
            Map<String, NodeTuple> keys = keys(mapping, in, TARGET_KEYS);
            int before = errors.size();
            List<String> names = new ArrayList<>();
            if (keys.containsKey("names")) {
                SequenceNode list = list(keys.get("names").getValueNode(), "'names' " + in);
                for (Node item : list == null ? List.<Node>of() : list.getValue()) {
                    String name = text(item, "each of 'names' " + in);
                    if (name != null && !io.antidote.winrm.Target.NAME.matcher(name).matches()) {
                        error(item, "each of 'names' " + in + " must be a target name (letters, digits, dots and"
                                + " dashes), found '" + Text.shorten(name) + "'");
                    } else if (name != null && names.contains(name)) {
                        error(item, "target '" + name + "' is named twice " + in);
                    } else if (name != null) {
                        names.add(name);
                    }
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (keys.containsKey("labels")) {
                MappingNode labelMap = mapping(keys.get("labels").getValueNode(), "'labels' " + in);
                if (labelMap != null) {
                    keys(labelMap, "in the labels of targets", null).forEach((label, tuple) -> {
                        String value = text(tuple.getValueNode(), "the value of label '" + Text.shorten(label) + "' " + in);
                        if (!LABEL.matcher(label).matches()) {
                            error(tuple.getKeyNode(), "'" + Text.shorten(label) + "' " + in + " is not a label name such"
                                    + " as role or site");
                        } else if (value != null && value.isEmpty()) {
                            error(tuple.getValueNode(), "the value of label '" + label + "' " + in + " must not be empty");
                        } else if (value != null) {
                            labels.put(label, value);
                        }
                    });
                }
            }
            if (names.isEmpty() && labels.isEmpty() && errors.size() == before) {
                error(mapping, "'targets' must name at least one target under 'names' or one label under 'labels'");
            }
            return new TargetSelector(names, labels);
        }

        // ---- library steps ----

        private LibraryStep libraryStep(Node root, String name) {
            if (!(root instanceof MappingNode top)) {
                error(root, "a library step must be a mapping with at least 'powershell', found " + kind(root));
                return null;
            }
            String where = "in library step '" + Text.shorten(name) + "'";
            if (name == null || !NAME.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
                error(top, "the library step's file name '" + Text.shorten(name) + "' is the name playbooks use it by:"
                        + " it must be lower-case letters, digits and dashes, at most " + MAX_NAME_LENGTH + " characters");
            }
            Map<String, NodeTuple> keys = keys(top, where, LIBRARY_KEYS);
            String description = optionalText(keys, "description", "'description' " + where);
            List<Param> inputs = keys.containsKey("inputs") ? params(keys.get("inputs").getValueNode(), "inputs")
                    : List.of();
            String powershell = script(keys, top, where);
            Duration timeout = keys.containsKey("timeout")
                    ? duration(keys.get("timeout").getValueNode(), "'timeout' " + where) : null;
            StepPolicy.Retry retry = keys.containsKey("retry") ? retry(keys.get("retry").getValueNode(), where)
                    : StepPolicy.Retry.NONE;
            Expectation expect = keys.containsKey("expect")
                    ? expectation(keys.get("expect").getValueNode(), "library step '" + Text.shorten(name) + "'")
                    : Expectation.SUCCESS;
            boolean idempotent = flag(keys, "idempotent", where);
            if (!errors.isEmpty() || powershell == null || expect == null) {
                return null;
            }
            return new LibraryStep(name, description, inputs, powershell, timeout, retry, expect, idempotent, file,
                    source);
        }

        /** A step's own script: present, not blank, and free of what the renderer cannot put after its param block. */
        private String script(Map<String, NodeTuple> keys, MappingNode mapping, String where) {
            if (!keys.containsKey("powershell")) {
                error(mapping, "missing required key 'powershell' " + where);
                return null;
            }
            Node scriptNode = keys.get("powershell").getValueNode();
            String powershell = text(scriptNode, "'powershell' " + where);
            if (powershell != null && powershell.isBlank()) {
                error(scriptNode, "'powershell' " + where + " must not be blank");
            } else if (powershell != null) {
                checkScriptCharacters(scriptNode, powershell, where);
                checkScriptHeader((ScalarNode) scriptNode, powershell, where);
            }
            return powershell;
        }

        /** {@code uses: <library step>} with {@code with: { input: value | { param: name } }}. */
        private Uses uses(Node node, NodeTuple withTuple, String where) {
            String name = text(node, "'uses' " + where);
            if (name == null) {
                return null;
            }
            LibraryStep step = library.steps().get(name);
            if (step == null) {
                ParseResult.Invalid broken = library.invalid().get(name);
                if (broken != null) {
                    error(node, "library step '" + name + "' " + where + " has errors in " + broken.file()
                            + " (listed below); this playbook cannot load until they are fixed");
                    libraryErrors.addAll(broken.errors());
                } else {
                    error(node, "unknown library step '" + Text.shorten(name) + "' " + where + "; the step library"
                            + " (playbooks/steps/) has: " + (library.steps().isEmpty() ? "none"
                            : String.join(", ", library.steps().keySet())));
                }
                return null;
            }
            used.put(name, step);
            Set<String> present = new LinkedHashSet<>();
            Map<String, Uses.Binding> with = new LinkedHashMap<>();
            if (withTuple != null) {
                MappingNode mapping = mapping(withTuple.getValueNode(), "'with' " + where);
                if (mapping != null) {
                    keys(mapping, "in 'with' " + where, null).forEach((input, tuple) -> {
                        present.add(input);
                        Uses.Binding binding = binding(step, input, tuple, where);
                        if (binding != null) {
                            with.put(input, binding);
                        }
                    });
                }
            }
            for (Param input : step.inputs()) {
                if (input.required() && !present.contains(input.name())) {
                    error(node, "missing required input '" + input.name() + "' of library step '" + name + "' " + where
                            + "; set it under 'with'");
                }
            }
            return new Uses(step, with);
        }

        private Uses.Binding binding(LibraryStep step, String inputName, NodeTuple tuple, String where) {
            Optional<Param> declared = step.input(inputName);
            if (declared.isEmpty()) {
                error(tuple.getKeyNode(), "unknown input '" + Text.shorten(inputName) + "' in 'with' " + where
                        + "; library step '" + step.name() + "' takes: " + (step.inputs().isEmpty() ? "no inputs"
                        : String.join(", ", step.inputs().stream().map(Param::name).toList())));
                return null;
            }
            Param input = declared.get();
            String what = "input '" + inputName + "' " + where;
            Node value = tuple.getValueNode();
            if (value instanceof MappingNode ref) {
                return paramRef(step, input, ref, what);
            }
            if (input.type() == ParamType.SECRET) {
                error(value, what + " is a secret: set it from a secret parameter, {param: <name>}; secrets are"
                        + " never written in a playbook");
                return null;
            }
            Object literal = switch (input.type()) {
                case INTEGER -> integer(value, what);
                case BOOLEAN -> bool(value, what);
                default -> {
                    String text = value instanceof ScalarNode && TEXT_TAGS.contains(value.getTag())
                            ? ((ScalarNode) value).getValue() : null;
                    if (text == null) {
                        error(value, what + " must be a string or {param: <name>}, found " + kind(value));
                    } else if (input.type() == ParamType.ENUM && !input.values().contains(text)) {
                        error(value, what + " is '" + Text.shorten(text) + "', which is not one of its values: "
                                + String.join(", ", input.values()));
                        text = null;
                    } else if (input.pattern() != null && !Pattern.compile(input.pattern()).matcher(text).matches()) {
                        error(value, what + " is '" + Text.shorten(text) + "', which does not match its pattern "
                                + Text.shorten(input.pattern()));
                        text = null;
                    }
                    yield text;
                }
            };
            return literal == null ? null : new Uses.Literal(literal);
        }

        private Uses.Binding paramRef(LibraryStep step, Param input, MappingNode ref, String what) {
            Map<String, NodeTuple> keys = keys(ref, "in " + what, List.of("param"));
            if (!keys.containsKey("param")) {
                if (ref.getValue().isEmpty()) {
                    error(ref, what + " must be a value or {param: <name>}, found an empty mapping");
                }
                return null;
            }
            Node nameNode = keys.get("param").getValueNode();
            String paramName = text(nameNode, "'param' in " + what);
            if (paramName == null) {
                return null;
            }
            Optional<Param> found = declaredParams.stream().filter(p -> p.name().equals(paramName)).findFirst();
            if (found.isEmpty()) {
                error(nameNode, "unknown parameter '" + Text.shorten(paramName) + "' in " + what + "; declared: "
                        + (declaredParams.isEmpty() ? "none"
                        : String.join(", ", declaredParams.stream().map(Param::name).toList())));
                return null;
            }
            Param param = found.get();
            String mismatch = InputTypes.mismatch(param, input);
            if (mismatch != null) {
                error(nameNode, mismatch + " (" + what + ", library step '" + step.name() + "')");
                return null;
            }
            if (input.required() && !param.required() && param.defaultValue() == null) {
                error(nameNode, "input '" + input.name() + "' of library step '" + step.name() + "' is required, but"
                        + " parameter '" + param.name() + "' is optional and has no default (" + what + ")");
                return null;
            }
            return new Uses.ParamRef(param.name());
        }

        private Map<String, List<String>> references(Node node) {
            MappingNode mapping = mapping(node, "'references'");
            if (mapping == null) {
                return Map.of();
            }
            Map<String, List<String>> references = new LinkedHashMap<>();
            keys(mapping, "in references", REFERENCE_KEYS).forEach((kind, tuple) -> {
                SequenceNode list = list(tuple.getValueNode(), "'" + kind + "' in references");
                if (list == null) {
                    return;
                }
                List<String> items = new ArrayList<>();
                for (Node item : list.getValue()) {
                    String text = text(item, "each of '" + kind + "' in references");
                    if (text == null) {
                        continue;
                    }
                    if (!REFERENCE_FORMATS.get(kind).matcher(text).matches()) {
                        error(item, "each of '" + kind + "' in references must be " + REFERENCE_EXAMPLES.get(kind)
                                + ", found '" + Text.shorten(text) + "'");
                    } else {
                        items.add(text);
                    }
                }
                references.put(kind, items);
            });
            return references;
        }

        // ---- parameters ----

        private List<Param> params(Node node) {
            return params(node, "params");
        }

        /** {@code section}: params of a playbook, or inputs of a library step (the same format). */
        private List<Param> params(Node node, String section) {
            MappingNode mapping = mapping(node, "'" + section + "'");
            if (mapping == null) {
                return List.of();
            }
            List<Param> params = new ArrayList<>();
            Map<String, Node> byLowerCase = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key) || key.getTag().equals(Tag.NULL)
                        || key.getTag().equals(Tag.MERGE)) {
                    continue; // reported by keys() below
                }
                String name = key.getValue();
                if (!validParamName(key, name)) {
                    continue;
                }
                Node first = byLowerCase.putIfAbsent(name.toLowerCase(Locale.ROOT), key);
                if (first != null && !((ScalarNode) first).getValue().equals(name)) {
                    error(key, "parameter '" + name + "' differs from parameter '" + ((ScalarNode) first).getValue()
                            + "' (line " + line(first) + ") only by case, and PowerShell variable names ignore case");
                    continue;
                }
                if (first != null) {
                    continue; // an exact duplicate: reported by keys() below
                }
                Param param = param(name, tuple.getValueNode());
                if (param != null) {
                    params.add(param);
                }
            }
            keys(mapping, "in " + section, null);
            declaredParams = params;
            return params;
        }

        private boolean validParamName(ScalarNode key, String name) {
            if (!PARAM_NAME.matcher(name).matches()) {
                error(key, "parameter name '" + Text.shorten(name) + "' is not a PowerShell variable name;"
                        + " expected letters, digits and underscores, not starting with a digit");
                return false;
            }
            if (name.length() > MAX_NAME_LENGTH) {
                error(key, "parameter name '" + Text.shorten(name, 40) + "' is longer than " + MAX_NAME_LENGTH + " characters");
                return false;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("steps_")) {
                error(key, "parameter name '" + name + "' starts with 'steps_', which names the outputs of earlier"
                        + " steps; choose another name");
                return false;
            }
            if (RESERVED_VARIABLES.contains(lower) || lower.endsWith("preference")) {
                error(key, "parameter name '" + name + "' is a PowerShell automatic or preference variable;"
                        + " choose another name");
                return false;
            }
            return true;
        }

        private Param param(String name, Node node) {
            String where = "in parameter '" + name + "'";
            MappingNode mapping = mapping(node, "parameter '" + name + "'");
            if (mapping == null) {
                return null;
            }
            Map<String, NodeTuple> keys = keys(mapping, where, PARAM_KEYS);
            int before = errors.size();

            ParamType type = null;
            if (!keys.containsKey("type")) {
                error(mapping, "missing required key 'type' " + where + "; expected one of: "
                        + String.join(", ", typeNames()));
            } else {
                Node typeNode = keys.get("type").getValueNode();
                String text = text(typeNode, "'type' " + where);
                if (text != null) {
                    type = typeNames().contains(text) ? ParamType.valueOf(text.toUpperCase(Locale.ROOT)) : null;
                    if (type == null) {
                        error(typeNode, "'type' " + where + " must be one of: " + String.join(", ", typeNames())
                                + ", found '" + Text.shorten(text) + "'");
                    }
                }
            }
            String description = optionalText(keys, "description", "'description' " + where);

            List<String> values = List.of();
            if (keys.containsKey("values")) {
                NodeTuple tuple = keys.get("values");
                if (type != null && type != ParamType.ENUM) {
                    error(tuple.getKeyNode(), "'values' " + where + " applies only to enum parameters, and this one is "
                            + type.yamlName());
                } else {
                    values = enumValues(tuple.getValueNode(), where);
                }
            } else if (type == ParamType.ENUM) {
                error(keys.get("type").getValueNode(), "enum parameter '" + name
                        + "' needs 'values', the list of values it accepts");
            }

            Pattern pattern = null;
            String patternText = null;
            if (keys.containsKey("pattern")) {
                NodeTuple tuple = keys.get("pattern");
                if (type != null && type != ParamType.STRING && type != ParamType.SECRET) {
                    error(tuple.getKeyNode(), "'pattern' " + where + " applies only to string and secret parameters,"
                            + " and this one is " + type.yamlName());
                } else {
                    patternText = text(tuple.getValueNode(), "'pattern' " + where);
                    pattern = regex(tuple.getValueNode(), patternText, "'pattern' " + where);
                }
            }

            Object defaultValue = null;
            Node defaultNode = keys.containsKey("default") ? keys.get("default").getValueNode() : null;
            if (defaultNode != null && type != null) {
                defaultValue = defaultValue(name, type, defaultNode, values, pattern, patternText);
            }

            boolean hasDefault = defaultNode != null;
            boolean required = !hasDefault;
            if (keys.containsKey("required")) {
                Node requiredNode = keys.get("required").getValueNode();
                Boolean flag = bool(requiredNode, "'required' " + where);
                if (flag != null) {
                    required = flag;
                    if (flag && hasDefault) {
                        error(requiredNode, "parameter '" + name + "' has a default, so it cannot be required;"
                                + " remove 'required: true' or the default");
                    }
                }
            }
            if (type == null || errors.size() > before) {
                return null;
            }
            return new Param(name, type, description, defaultValue, required, values, patternText);
        }

        private List<String> typeNames() {
            List<String> names = new ArrayList<>();
            for (ParamType type : ParamType.values()) {
                names.add(type.yamlName());
            }
            return names;
        }

        private List<String> enumValues(Node node, String where) {
            SequenceNode list = list(node, "'values' " + where);
            if (list == null) {
                return List.of();
            }
            if (list.getValue().isEmpty()) {
                error(node, "'values' " + where + " must list at least one value");
            }
            List<String> values = new ArrayList<>();
            for (Node item : list.getValue()) {
                String value = text(item, "each of 'values' " + where);
                if (value == null) {
                    continue;
                }
                if (values.contains(value)) {
                    error(item, "value '" + Text.shorten(value) + "' is listed twice in 'values' " + where);
                } else {
                    values.add(value);
                }
            }
            return values;
        }

        private Object defaultValue(String name, ParamType type, Node node, List<String> values, Pattern pattern,
                                    String patternText) {
            String what = "the default of parameter '" + name + "'";
            switch (type) {
                case SECRET -> {
                    error(node, "secret parameter '" + name + "' cannot have a default: secrets are given with each run,"
                            + " never written in a playbook");
                    return null;
                }
                case INTEGER -> {
                    return integer(node, what);
                }
                case BOOLEAN -> {
                    return bool(node, what);
                }
                default -> {
                    String text = text(node, what);
                    if (text == null) {
                        return null;
                    }
                    if (type == ParamType.ENUM && !values.isEmpty() && !values.contains(text)) {
                        error(node, what + " is '" + Text.shorten(text) + "', which is not one of its values: "
                                + String.join(", ", values));
                    }
                    if (pattern != null && !pattern.matcher(text).matches()) {
                        error(node, what + " is '" + Text.shorten(text) + "', which does not match its pattern "
                                + Text.shorten(patternText));
                    }
                    return text;
                }
            }
        }

        // ---- steps ----

        private List<Step> steps(Node node) {
            SequenceNode list = list(node, "'steps'");
            if (list == null) {
                return List.of();
            }
            if (list.getValue().isEmpty()) {
                error(node, "'steps' must list at least one step");
            }
            List<Step> steps = new ArrayList<>();
            Map<String, Node> ids = new HashMap<>();
            int index = 0;
            for (Node item : list.getValue()) {
                index++;
                Step step = step(item, index, ids);
                if (step != null) {
                    steps.add(step);
                }
            }
            checkConditionReferences(steps, ids.keySet());
            return steps;
        }

        private Step step(Node node, int index, Map<String, Node> ids) {
            if (!(node instanceof MappingNode mapping)) {
                error(node, "step " + index + " must be a mapping with at least 'id' and 'powershell', found " + kind(node));
                return null;
            }
            String peekedId = peekText(mapping, "id");
            String label = peekedId != null && NAME.matcher(peekedId).matches() && peekedId.length() <= MAX_NAME_LENGTH
                    ? "step '" + peekedId + "'" : "step " + index;
            String where = "in " + label;
            Map<String, NodeTuple> keys = keys(mapping, where, STEP_KEYS);
            int before = errors.size();

            String id = null;
            if (!keys.containsKey("id")) {
                error(mapping, "missing required key 'id' " + where);
            } else {
                Node idNode = keys.get("id").getValueNode();
                id = name(idNode, "'id' " + where);
                if (id != null) {
                    Node first = ids.putIfAbsent(id, idNode);
                    if (first != null) {
                        error(idNode, "duplicate step id '" + id + "'; the first step with this id is at line " + line(first));
                    }
                }
            }
            String description = optionalText(keys, "description", "'description' " + where);

            Uses uses = null;
            String powershell = null;
            if (keys.containsKey("uses")) {
                if (keys.containsKey("powershell")) {
                    error(keys.get("powershell").getKeyNode(), "'powershell' " + where + " cannot go with 'uses': a step"
                            + " runs its own script or a library step's, not both");
                }
                if (keys.containsKey("expect")) {
                    error(keys.get("expect").getKeyNode(), "'expect' " + where + " cannot go with 'uses': what a good"
                            + " outcome looks like is part of the library step");
                }
                uses = uses(keys.get("uses").getValueNode(), keys.get("with"), where);
                powershell = uses == null ? null : uses.step().powershell();
            } else {
                if (keys.containsKey("with")) {
                    error(keys.get("with").getKeyNode(), "'with' " + where + " sets the inputs of a library step,"
                            + " so it needs 'uses'");
                }
                powershell = script(keys, mapping, where);
            }

            Duration timeout = uses != null && uses.step().timeout() != null ? uses.step().timeout() : DEFAULT_TIMEOUT;
            if (keys.containsKey("timeout")) {
                Duration parsed = duration(keys.get("timeout").getValueNode(), "'timeout' " + where);
                timeout = parsed != null ? parsed : timeout;
            }
            Expectation expect = uses != null ? uses.step().expect() : Expectation.SUCCESS;
            if (keys.containsKey("expect") && uses == null) {
                expect = expectation(keys.get("expect").getValueNode(), label);
            }
            Condition when = keys.containsKey("when") ? condition(keys.get("when").getValueNode(), where) : null;
            Map<String, String> outputs = keys.containsKey("outputs")
                    ? outputs(keys.get("outputs").getValueNode(), where) : Map.of();
            StepPolicy policy = policy(keys, where, id);
            if (uses != null) {
                // The library step's retry and idempotence hold unless this step sets its own.
                policy = new StepPolicy(keys.containsKey("retry") ? policy.retry() : uses.step().retry(),
                        policy.approval(), policy.compensate(), policy.keepOnFailure(), policy.compensationOnly(),
                        keys.containsKey("idempotent") ? policy.idempotent() : uses.step().idempotent());
            }
            if (errors.size() > before || id == null || powershell == null || expect == null) {
                return null;
            }
            return new Step(id, description, powershell, timeout, expect, when, outputs, policy, uses);
        }

        // ---- conditions and outputs ----

        /** {@code { param: p, equals: v }} or {@code { step: s, output: o, notEquals: v }}. */
        private Condition condition(Node node, String where) {
            String what = "'when' " + where;
            MappingNode mapping = mapping(node, what);
            if (mapping == null) {
                return null;
            }
            Map<String, NodeTuple> keys = keys(mapping, "in " + what, CONDITION_KEYS);
            int before = errors.size();
            Condition.Subject subject = null;
            if (keys.containsKey("param") == keys.containsKey("step")) {
                error(mapping, what + " needs either 'param' or 'step' (with 'output'), not " + (keys.containsKey("param")
                        ? "both" : "neither"));
            } else if (keys.containsKey("param")) {
                if (keys.containsKey("output")) {
                    error(keys.get("output").getKeyNode(), "'output' " + where + " goes with 'step', not 'param'");
                }
                String param = text(keys.get("param").getValueNode(), "'param' in " + what);
                subject = param == null ? null : new Condition.ParamValue(param);
            } else {
                String step = name(keys.get("step").getValueNode(), "'step' in " + what);
                String output = null;
                if (!keys.containsKey("output")) {
                    error(mapping, what + " names a step, so it needs 'output': which of its outputs to compare");
                } else {
                    output = text(keys.get("output").getValueNode(), "'output' in " + what);
                }
                subject = step == null || output == null ? null : new Condition.StepOutput(step, output);
            }
            if (keys.containsKey("equals") == keys.containsKey("notEquals")) {
                error(mapping, what + " needs exactly one of 'equals' or 'notEquals'");
                return null;
            }
            boolean negated = keys.containsKey("notEquals");
            Node valueNode = keys.get(negated ? "notEquals" : "equals").getValueNode();
            JsonCheck literal = jsonCheckLiteral(valueNode, "'" + (negated ? "notEquals" : "equals") + "' in " + what);
            if (subject == null || literal == null || errors.size() > before) {
                return null;
            }
            Condition condition = new Condition(subject, ((JsonCheck.Equals) literal).value(), negated);
            conditionNodes.put(condition, mapping);
            return condition;
        }

        /** A literal for a comparison: a string, an integer, a boolean or null, typed as YAML wrote it. */
        private JsonCheck jsonCheckLiteral(Node value, String what) {
            if (value.getTag().equals(Tag.NULL) && value instanceof ScalarNode) {
                return new JsonCheck.Equals(null);
            }
            if (value.getTag().equals(Tag.INT)) {
                Long number = integer(value, what);
                return number == null ? null : new JsonCheck.Equals(number);
            }
            if (value.getTag().equals(Tag.BOOL)) {
                Boolean flag = bool(value, what);
                return flag == null ? null : new JsonCheck.Equals(flag);
            }
            if (value instanceof ScalarNode scalar && (value.getTag().equals(Tag.STR) || value.getTag().equals(Tag.TIMESTAMP))) {
                return new JsonCheck.Equals(scalar.getValue());
            }
            error(value, what + " must be a string, an integer, a boolean or null, found " + kind(value));
            return null;
        }

        /** {@code outputs: { name: jsonField }}: names are PowerShell variable names, fields are top-level JSON fields. */
        private Map<String, String> outputs(Node node, String where) {
            MappingNode mapping = mapping(node, "'outputs' " + where);
            if (mapping == null) {
                return Map.of();
            }
            Map<String, String> outputs = new LinkedHashMap<>();
            keys(mapping, "in 'outputs' " + where, null).forEach((name, tuple) -> {
                if (!PARAM_NAME.matcher(name).matches() || name.length() > MAX_NAME_LENGTH) {
                    error(tuple.getKeyNode(), "output name '" + Text.shorten(name) + "' " + where + " must be letters,"
                            + " digits and underscores, not starting with a digit, at most " + MAX_NAME_LENGTH + " characters");
                    return;
                }
                String field = text(tuple.getValueNode(), "the JSON field of output '" + name + "' " + where);
                if (field != null && field.isEmpty()) {
                    error(tuple.getValueNode(), "the JSON field of output '" + name + "' " + where + " must not be empty");
                } else if (field != null) {
                    outputs.put(name, field);
                }
            });
            return outputs;
        }

        /** A condition may look at declared, non-secret parameters and at outputs of steps that come before it. */
        private void checkConditionReferences(List<Step> steps, Set<String> allIds) {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                Condition when = step.when();
                if (when == null) {
                    continue;
                }
                Node node = conditionNodes.get(when);
                String where = "in the 'when' of step '" + step.id() + "'";
                if (when.subject() instanceof Condition.ParamValue ref) {
                    Optional<Param> param = declaredParams.stream().filter(p -> p.name().equals(ref.param())).findFirst();
                    if (param.isEmpty()) {
                        error(node, "unknown parameter '" + Text.shorten(ref.param()) + "' " + where + "; declared: "
                                + (declaredParams.isEmpty() ? "none"
                                : String.join(", ", declaredParams.stream().map(Param::name).toList())));
                    } else if (param.get().type() == ParamType.SECRET) {
                        error(node, "parameter '" + ref.param() + "' " + where + " is a secret; a condition on it would"
                                + " reveal it in the run's events");
                    }
                    continue;
                }
                Condition.StepOutput ref = (Condition.StepOutput) when.subject();
                Optional<Step> earlier = steps.subList(0, i).stream().filter(s -> s.id().equals(ref.step())).findFirst();
                if (earlier.isPresent()) {
                    if (!earlier.get().outputs().containsKey(ref.output())) {
                        error(node, "step '" + ref.step() + "' has no output '" + Text.shorten(ref.output()) + "' (" + where
                                + "); it declares: " + (earlier.get().outputs().isEmpty() ? "none"
                                : String.join(", ", earlier.get().outputs().keySet())));
                    }
                } else if (ref.step().equals(step.id())) {
                    error(node, "step '" + step.id() + "' refers to its own output " + where
                            + "; a condition can only use steps that run before it");
                } else if (steps.stream().anyMatch(s -> s.id().equals(ref.step()))) {
                    error(node, "step '" + ref.step() + "' comes after step '" + step.id() + "' (" + where
                            + "); a condition can only use steps that run before it");
                } else if (!allIds.contains(ref.step())) {
                    error(node, "unknown step '" + ref.step() + "' " + where);
                }
            }
        }

        // ---- step policies and strategy (docs/playbooks.md, "Step policies", "Strategy") ----

        /** Step id to the node of its 'compensate', checked once every step is known. */
        private final Map<String, Node> compensateNodes = new LinkedHashMap<>();

        private StepPolicy policy(Map<String, NodeTuple> keys, String where, String id) {
            StepPolicy.Retry retry = keys.containsKey("retry") ? retry(keys.get("retry").getValueNode(), where)
                    : StepPolicy.Retry.NONE;
            StepPolicy.Approval approval = keys.containsKey("approval")
                    ? approval(keys.get("approval").getValueNode(), where) : null;
            String compensate = null;
            if (keys.containsKey("compensate")) {
                Node node = keys.get("compensate").getValueNode();
                compensate = name(node, "'compensate' " + where);
                if (compensate != null && id != null) {
                    compensateNodes.put(id, node);
                }
            }
            boolean keepOnFailure = flag(keys, "keepOnFailure", where);
            if (keepOnFailure && compensate == null && keys.containsKey("keepOnFailure")) {
                error(keys.get("keepOnFailure").getKeyNode(), "'keepOnFailure' " + where
                        + " only means something with 'compensate' (the step that would undo it)");
            }
            return new StepPolicy(retry, approval, compensate, keepOnFailure, flag(keys, "compensationOnly", where),
                    flag(keys, "idempotent", where));
        }

        private boolean flag(Map<String, NodeTuple> keys, String key, String where) {
            if (!keys.containsKey(key)) {
                return false;
            }
            Boolean value = bool(keys.get(key).getValueNode(), "'" + key + "' " + where);
            return value != null && value;
        }

        private StepPolicy.Retry retry(Node node, String where) {
            String in = "in the retry " + where;
            MappingNode mapping = mapping(node, "'retry' " + where);
            if (mapping == null) {
                return StepPolicy.Retry.NONE;
            }
            Map<String, NodeTuple> keys = keys(mapping, in, RETRY_KEYS);
            int attempts = 1;
            if (!keys.containsKey("attempts")) {
                error(mapping, "missing required key 'attempts' " + in);
            } else {
                Node n = keys.get("attempts").getValueNode();
                Long value = integer(n, "'attempts' " + in);
                if (value != null && (value < 1 || value > 20)) {
                    error(n, "'attempts' " + in + " must be between 1 and 20, found " + value);
                } else if (value != null) {
                    attempts = value.intValue();
                }
            }
            boolean exponential = false;
            if (keys.containsKey("backoff")) {
                Node n = keys.get("backoff").getValueNode();
                String text = text(n, "'backoff' " + in);
                if (text != null && !text.equals("fixed") && !text.equals("exponential")) {
                    error(n, "'backoff' " + in + " must be fixed or exponential, found '" + Text.shorten(text) + "'");
                }
                exponential = "exponential".equals(text);
            }
            Duration delay = keys.containsKey("delay") ? duration(keys.get("delay").getValueNode(), "'delay' " + in)
                    : Duration.ofSeconds(10);
            Duration maxDelay = keys.containsKey("maxDelay")
                    ? duration(keys.get("maxDelay").getValueNode(), "'maxDelay' " + in) : null;
            delay = delay == null ? Duration.ZERO : delay;
            maxDelay = maxDelay == null ? delay : maxDelay;
            if (keys.containsKey("maxDelay") && maxDelay.compareTo(delay) < 0) {
                error(keys.get("maxDelay").getValueNode(), "'maxDelay' " + in + " must not be shorter than 'delay'");
            }
            // Not 'on': YAML 1.1 tools read a bare on as the boolean true.
            Set<String> on = new LinkedHashSet<>();
            if (keys.containsKey("retryOn")) {
                SequenceNode list = list(keys.get("retryOn").getValueNode(), "'retryOn' " + in);
                for (Node item : list == null ? List.<Node>of() : list.getValue()) {
                    String kind = text(item, "each of 'retryOn' " + in);
                    if (kind != null && !RETRY_ON.contains(kind)) {
                        error(item, "each of 'retryOn' " + in + " must be one of: " + String.join(", ", RETRY_ON)
                                + ", found '" + Text.shorten(kind) + "'");
                    } else if (kind != null) {
                        on.add(kind);
                    }
                }
            }
            Set<Integer> exitCodes = new LinkedHashSet<>();
            if (keys.containsKey("exitCodes")) {
                SequenceNode list = list(keys.get("exitCodes").getValueNode(), "'exitCodes' " + in);
                for (Node item : list == null ? List.<Node>of() : list.getValue()) {
                    Long code = integer(item, "each of 'exitCodes' " + in);
                    if (code != null && (code < Integer.MIN_VALUE || code > Integer.MAX_VALUE || code == 0)) {
                        error(item, "each of 'exitCodes' " + in + " must be a non-zero 32-bit exit code, found " + code);
                    } else if (code != null) {
                        exitCodes.add(code.intValue());
                    }
                }
            }
            if (on.isEmpty() && exitCodes.isEmpty()) {
                error(mapping, "the retry " + where + " names no failure to retry: add 'retryOn' (connection, timeout)"
                        + " or 'exitCodes'");
            }
            return new StepPolicy.Retry(attempts, exponential, delay, maxDelay, on, exitCodes);
        }

        private StepPolicy.Approval approval(Node node, String where) {
            String in = "in the approval " + where;
            MappingNode mapping = mapping(node, "'approval' " + where);
            if (mapping == null) {
                return null;
            }
            Map<String, NodeTuple> keys = keys(mapping, in, APPROVAL_KEYS);
            String role = null;
            if (!keys.containsKey("role")) {
                error(mapping, "missing required key 'role' " + in);
            } else {
                role = name(keys.get("role").getValueNode(), "'role' " + in);
            }
            Duration timeout = keys.containsKey("timeout")
                    ? duration(keys.get("timeout").getValueNode(), "'timeout' " + in) : null;
            boolean requesterMay = flag(keys, "requesterMayApprove", in);
            return new StepPolicy.Approval(role, timeout, requesterMay);
        }

        private void checkCompensations(List<Step> steps) {
            Set<String> ids = new LinkedHashSet<>();
            steps.forEach(s -> ids.add(s.id()));
            compensateNodes.forEach((id, node) -> {
                String undo = ((ScalarNode) node).getValue();
                if (undo.equals(id)) {
                    error(node, "step '" + id + "' cannot undo itself; 'compensate' names another step");
                } else if (!ids.contains(undo)) {
                    error(node, "'compensate' in step '" + id + "' names step '" + Text.shorten(undo)
                            + "', which is not a step of this playbook");
                }
            });
        }

        private Rollout strategy(Node node) {
            String in = "in strategy";
            MappingNode mapping = mapping(node, "'strategy'");
            if (mapping == null) {
                return Rollout.DEFAULT;
            }
            Map<String, NodeTuple> keys = keys(mapping, in, STRATEGY_KEYS);
            int batchSize = 1;
            int batchPercent = 0;
            if (keys.containsKey("batchSize")) {
                Node n = keys.get("batchSize").getValueNode();
                Matcher percent = n instanceof ScalarNode sc && n.getTag().equals(Tag.STR)
                        ? PERCENT.matcher(sc.getValue()) : null;
                if (percent != null && percent.matches()) {
                    batchPercent = Integer.parseInt(percent.group(1));
                    if (batchPercent < 1 || batchPercent > 100) {
                        error(n, "'batchSize' " + in + " as a percentage must be between 1% and 100%");
                    }
                } else if (n.getTag().equals(Tag.STR)) {
                    error(n, "'batchSize' " + in + " must be a count such as 2 or a percentage such as 25%, found '"
                            + Text.shorten(((ScalarNode) n).getValue()) + "'");
                } else {
                    Long count = integer(n, "'batchSize' " + in);
                    if (count != null && (count < 1 || count > 10_000)) {
                        error(n, "'batchSize' " + in + " must be between 1 and 10000, found " + count);
                    } else if (count != null) {
                        batchSize = count.intValue();
                    }
                }
            }
            int threshold = 1;
            if (keys.containsKey("failureThreshold")) {
                Node n = keys.get("failureThreshold").getValueNode();
                Long value = integer(n, "'failureThreshold' " + in);
                if (value != null && (value < 1 || value > 10_000)) {
                    error(n, "'failureThreshold' " + in + " must be between 1 and 10000, found " + value);
                } else if (value != null) {
                    threshold = value.intValue();
                }
            }
            return new Rollout(batchSize, batchPercent, threshold, label(keys, "orderBy", in), label(keys, "groupBy", in));
        }

        private String label(Map<String, NodeTuple> keys, String key, String in) {
            if (!keys.containsKey(key)) {
                return null;
            }
            Node n = keys.get(key).getValueNode();
            String text = text(n, "'" + key + "' " + in);
            if (text != null && !LABEL.matcher(text).matches()) {
                error(n, "'" + key + "' " + in + " must be a label name such as dag or site, found '"
                        + Text.shorten(text) + "'");
                return null;
            }
            return text;
        }

        /** Escapes in a double-quoted scalar can put characters in a script that no transport carries intact. */
        private void checkScriptCharacters(Node node, String script, String where) {
            for (int i = 0; i < script.length(); i++) {
                char c = script.charAt(i);
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7F && c <= 0x9F
                        || c == 0xFFFE || c == 0xFFFF || Character.isSurrogate(c) && Text.unpairedSurrogate(script) >= 0) {
                    error(node, String.format("'powershell' %s contains the control character U+%04X, which cannot be"
                            + " sent to a host; build it in the script, e.g. [char]0x%X", where, (int) c, (int) c));
                    return;
                }
            }
        }

        private void checkScriptHeader(ScalarNode node, String script, String where) {
            Optional<ScriptHeader.Finding> finding = ScriptHeader.find(script);
            if (finding.isEmpty()) {
                return;
            }
            ScriptHeader.Finding found = finding.get();
            int line = line(node);
            int column = node.getStartMark().getColumn() + 1;
            // In a literal block (|) each line of the script is a line of the file, so we can point at it.
            if (node.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL) {
                line = node.getStartMark().getLine() + 2 + found.line();
                String word = found.kind() == ScriptHeader.Kind.PARAM_BLOCK ? "param" : "using";
                String text = sourceLine(line);
                int at = text.toLowerCase(Locale.ROOT).indexOf(word);
                column = at >= 0 ? text.codePointCount(0, at) + 1 : 1;
            }
            String message = found.kind() == ScriptHeader.Kind.PARAM_BLOCK
                    ? "'powershell' " + where + " declares its own param(...) block; declare parameters under"
                    + " 'params' instead, and Antidote generates the param block from them"
                    : "'powershell' " + where + " starts with a 'using' statement, which PowerShell accepts only before"
                    + " the param block that Antidote puts first; use full type names instead";
            errors.add(new PlaybookError(file, line, column, message));
        }

        private Duration duration(Node node, String what) {
            String expected = what + " must be a duration such as 30s, 2m or 1h";
            if (!(node instanceof ScalarNode scalar) || !TEXT_TAGS.contains(node.getTag())) {
                error(node, expected + ", found " + kind(node));
                return null;
            }
            Matcher matcher = DURATION.matcher(scalar.getValue());
            if (!matcher.matches()) {
                error(node, expected + ", found " + kind(node));
                return null;
            }
            long amount = Long.parseLong(matcher.group(1));
            Duration duration = switch (matcher.group(2)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            if (duration.isZero()) {
                error(node, what + " must be longer than zero");
                return null;
            }
            if (duration.compareTo(MAX_TIMEOUT) > 0) {
                error(node, what + " must be at most 24h, found " + scalar.getValue());
                return null;
            }
            return duration;
        }

        private Expectation expectation(Node node, String stepLabel) {
            String where = "in the expect of " + stepLabel;
            MappingNode mapping = mapping(node, "'expect' in " + stepLabel);
            if (mapping == null) {
                return null;
            }
            Map<String, NodeTuple> keys = keys(mapping, where, EXPECT_KEYS);
            int before = errors.size();
            int exitCode = 0;
            if (keys.containsKey("exitCode")) {
                Node exitNode = keys.get("exitCode").getValueNode();
                Long value = integer(exitNode, "'exitCode' " + where);
                if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
                    error(exitNode, "'exitCode' " + where + " must fit in 32 bits, found " + value);
                } else if (value != null) {
                    exitCode = value.intValue();
                }
            }
            String stdout = null;
            if (keys.containsKey("stdout")) {
                Node stdoutNode = keys.get("stdout").getValueNode();
                stdout = text(stdoutNode, "'stdout' " + where);
                regex(stdoutNode, stdout, "'stdout' " + where);
            }
            Map<String, JsonCheck> json = Map.of();
            if (keys.containsKey("json")) {
                json = jsonChecks(keys.get("json").getValueNode(), stepLabel);
            }
            if (errors.size() > before) {
                return null;
            }
            return new Expectation(exitCode, stdout, json);
        }

        private Map<String, JsonCheck> jsonChecks(Node node, String stepLabel) {
            String where = "in the expected JSON of " + stepLabel;
            MappingNode mapping = mapping(node, "'json' in the expect of " + stepLabel);
            if (mapping == null) {
                return Map.of();
            }
            Map<String, JsonCheck> checks = new LinkedHashMap<>();
            keys(mapping, where, null).forEach((field, tuple) -> {
                if (field.isEmpty()) {
                    error(tuple.getKeyNode(), "a JSON field name " + where + " must not be empty");
                    return;
                }
                JsonCheck check = jsonCheck(tuple.getValueNode(), field, stepLabel);
                if (check != null) {
                    checks.put(field, check);
                }
            });
            return checks;
        }

        private JsonCheck jsonCheck(Node node, String field, String stepLabel) {
            String subject = "the check of JSON field '" + Text.shorten(field) + "' in " + stepLabel;
            MappingNode mapping = mapping(node, subject);
            if (mapping == null) {
                return null;
            }
            Map<String, NodeTuple> keys = keys(mapping, "in " + subject, CHECK_KEYS);
            if (keys.size() != 1) {
                if (keys.isEmpty() && mapping.getValue().size() > 0) {
                    return null; // only unknown keys, already reported
                }
                error(mapping, subject + " must have exactly one of: " + String.join(", ", CHECK_KEYS)
                        + ", found " + (keys.isEmpty() ? "none" : String.join(", ", keys.keySet())));
                return null;
            }
            Map.Entry<String, NodeTuple> only = keys.entrySet().iterator().next();
            Node value = only.getValue().getValueNode();
            String what = "'" + only.getKey() + "' in " + subject;
            switch (only.getKey()) {
                case "proxylogonPatched" -> {
                    Boolean expected = bool(value, what);
                    return expected == null ? null : new JsonCheck.ProxyLogonPatched(expected);
                }
                case "empty" -> {
                    Boolean expected = bool(value, what);
                    return expected == null ? null : new JsonCheck.Empty(expected);
                }
                case "versionAtLeast", "versionBelow" -> {
                    return versionCheck(value, only.getKey(), what);
                }
                default -> {
                    return jsonCheckLiteral(value, what);
                }
            }
        }

        private JsonCheck versionCheck(Node value, String kind, String what) {
            String text = text(value, what);
            if (text == null) {
                return null;
            }
            if (Versions.parse(text) == null) {
                error(value, what + " must be a version of 2 to 4 dot-separated numbers such as 15.1.2176.9, found '"
                        + Text.shorten(text) + "'");
                return null;
            }
            return kind.equals("versionAtLeast") ? new JsonCheck.VersionAtLeast(text) : new JsonCheck.VersionBelow(text);
        }

        // ---- typed reading of nodes ----

        /**
         * The keys of a mapping, first occurrence of each; reports non-scalar keys, merge keys,
         * duplicates and (when {@code allowed} is given) unknown keys.
         */
        private Map<String, NodeTuple> keys(MappingNode mapping, String where, List<String> allowed) {
            Map<String, NodeTuple> known = new LinkedHashMap<>();
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Node keyNode = tuple.getKeyNode();
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    error(keyNode, "merge keys (<<) are not supported " + where + "; write the keys out");
                    continue;
                }
                if (!(keyNode instanceof ScalarNode scalar) || keyNode.getTag().equals(Tag.NULL)) {
                    error(keyNode, "expected a key name " + where + ", found " + kind(keyNode));
                    continue;
                }
                String key = scalar.getValue();
                Node first = seen.putIfAbsent(key, keyNode);
                if (first != null) {
                    error(keyNode, "duplicate key '" + Text.shorten(key) + "' " + where + "; it first appears at line "
                            + line(first));
                    continue;
                }
                if (allowed != null && !allowed.contains(key)) {
                    error(keyNode, "unknown key '" + Text.shorten(key) + "' " + where + "; expected one of: "
                            + String.join(", ", allowed));
                    continue;
                }
                known.put(key, tuple);
            }
            return known;
        }

        private String peekText(MappingNode mapping, String key) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)
                        && tuple.getValueNode() instanceof ScalarNode v && TEXT_TAGS.contains(v.getTag())) {
                    return v.getValue();
                }
            }
            return null;
        }

        private String name(Node node, String what) {
            String text = text(node, what);
            if (text == null) {
                return null;
            }
            if (!NAME.matcher(text).matches()) {
                error(node, what + " must be lower-case letters, digits and dashes, starting with a letter or digit,"
                        + " found '" + Text.shorten(text) + "'");
                return null;
            }
            if (text.length() > MAX_NAME_LENGTH) {
                error(node, what + " must be at most " + MAX_NAME_LENGTH + " characters long");
                return null;
            }
            return text;
        }

        private String optionalText(Map<String, NodeTuple> keys, String key, String what) {
            if (!keys.containsKey(key)) {
                return "";
            }
            String text = text(keys.get(key).getValueNode(), what);
            return text == null ? "" : text;
        }

        /** A scalar read as text: YAML's implicit numbers, booleans and dates count, null does not. */
        private String text(Node node, String what) {
            if (node instanceof ScalarNode scalar && TEXT_TAGS.contains(node.getTag())) {
                return scalar.getValue();
            }
            error(node, what + " must be a string, found " + kind(node));
            return null;
        }

        private Long integer(Node node, String what) {
            if (node instanceof ScalarNode scalar && node.getTag().equals(Tag.INT)) {
                String value = scalar.getValue();
                if (!DECIMAL.matcher(value).matches()) {
                    error(node, what + " must be a decimal integer, found '" + Text.shorten(value) + "'");
                    return null;
                }
                try {
                    return Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
                } catch (NumberFormatException e) {
                    error(node, what + " is too large, found " + Text.shorten(value));
                    return null;
                }
            }
            error(node, what + " must be an integer, found " + kind(node));
            return null;
        }

        private Boolean bool(Node node, String what) {
            if (node instanceof ScalarNode scalar && node.getTag().equals(Tag.BOOL)) {
                String value = scalar.getValue().toLowerCase(Locale.ROOT);
                if (value.equals("true")) {
                    return true;
                }
                if (value.equals("false")) {
                    return false;
                }
            }
            error(node, what + " must be true or false, found " + kind(node));
            return null;
        }

        private MappingNode mapping(Node node, String what) {
            if (node instanceof MappingNode mapping) {
                return mapping;
            }
            error(node, what + " must be a mapping, found " + kind(node));
            return null;
        }

        private SequenceNode list(Node node, String what) {
            if (node instanceof SequenceNode sequence) {
                return sequence;
            }
            error(node, what + " must be a list, found " + kind(node));
            return null;
        }

        private Pattern regex(Node node, String text, String what) {
            if (text == null) {
                return null;
            }
            try {
                return Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                error(node, what + " is not a valid regular expression: " + e.getDescription()
                        + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
                return null;
            }
        }

        private String kind(Node node) {
            if (node instanceof MappingNode) {
                return "a mapping";
            }
            if (node instanceof SequenceNode) {
                return "a list";
            }
            ScalarNode scalar = (ScalarNode) node;
            Tag tag = node.getTag();
            if (!ALLOWED_TAGS.contains(tag)) {
                return "a value with the tag '" + Text.shorten(tag.getValue(), 60) + "'";
            }
            if (tag.equals(Tag.NULL)) {
                return "nothing (null)";
            }
            if (tag.equals(Tag.INT)) {
                return "the integer " + Text.shorten(scalar.getValue(), 40);
            }
            if (tag.equals(Tag.FLOAT)) {
                return "the number " + Text.shorten(scalar.getValue(), 40);
            }
            if (tag.equals(Tag.BOOL)) {
                return "the boolean " + Text.shorten(scalar.getValue(), 40);
            }
            return "'" + Text.shorten(scalar.getValue(), 60) + "'";
        }

        private int line(Node node) {
            return node.getStartMark().getLine() + 1;
        }

        private String sourceLine(int oneBasedLine) {
            if (sourceLines == null) {
                sourceLines = source.split("\r\n|[\n\r\u0085\u2028\u2029]", -1);
            }
            return oneBasedLine - 1 < sourceLines.length ? sourceLines[oneBasedLine - 1] : "";
        }

        private void error(Node node, String message) {
            Mark mark = node.getStartMark();
            errors.add(new PlaybookError(file, mark.getLine() + 1, mark.getColumn() + 1, message));
        }
    }
}

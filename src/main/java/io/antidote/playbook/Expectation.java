package io.antidote.playbook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a step's outcome must look like: its exit code, optionally a match in its stdout, and checks
 * on the top-level fields of the JSON object it printed.
 *
 * @param stdoutPattern a regular expression that must be found somewhere in stdout, or {@code null}
 * @param json          checks by top-level field name, in the order they are reported
 */
public record Expectation(int exitCode, String stdoutPattern, Map<String, JsonCheck> json) {

    /** Exit code 0, nothing else: a step without an {@code expect} section. */
    public static final Expectation SUCCESS = new Expectation(0, null, Map.of());

    // Host output is hostile: bound the JSON we accept instead of trusting Jackson's generous defaults.
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(100)
                    .maxStringLength(1_000_000)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build())
            // "{...} anything" is not one JSON object: a script cannot smuggle a second answer after the first.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    // Reads of stdout a stdout pattern may make before the check gives up (a pathological regex on hostile
    // output): at least this many, or a hundred per character, roughly a second of matching per megabyte.
    private static final long REGEX_READ_BUDGET = 20_000_000L;
    private static final long REGEX_READS_PER_CHAR = 100L;

    public Expectation {
        if (stdoutPattern != null) {
            try {
                Pattern.compile(stdoutPattern);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("the stdout pattern is not a valid regular expression: "
                        + e.getDescription());
            }
        }
        // Map.of() refuses containsKey(null), so look at the entries.
        if (json != null && json.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw new IllegalArgumentException("JSON checks need a field name and a check");
        }
        json = json == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(json));
    }

    /**
     * Failures in plain words (empty = the outcome is as expected), e.g. "exit code 1603, expected 0",
     * "build 15.01.2176.002 is not patched against ProxyLogon for 2016 CU19 (fixed: 15.1.2176.9)".
     * Never throws on hostile output.
     */
    public List<String> check(int exitCode, String stdout) {
        List<String> failures = new ArrayList<>();
        String out = stdout == null ? "" : stdout;
        if (exitCode != this.exitCode) {
            failures.add("exit code " + exitCode + ", expected " + this.exitCode);
        }
        if (stdoutPattern != null) {
            checkStdoutPattern(out, failures);
        }
        if (!json.isEmpty()) {
            checkJson(out, failures);
        }
        return List.copyOf(failures);
    }

    private void checkStdoutPattern(String stdout, List<String> failures) {
        try {
            if (!Pattern.compile(stdoutPattern).matcher(new BoundedCharSequence(stdout,
                    Math.max(REGEX_READ_BUDGET, REGEX_READS_PER_CHAR * stdout.length()))).find()) {
                failures.add("stdout has no match for /" + Text.shorten(stdoutPattern) + "/");
            }
        } catch (BoundedCharSequence.BudgetExceeded | StackOverflowError e) {
            failures.add("stdout could not be searched for /" + Text.shorten(stdoutPattern)
                    + "/: the pattern is too costly on this output");
        }
    }

    private void checkJson(String stdout, List<String> failures) {
        ObjectNode object = jsonObject(stdout);
        if (object == null) {
            failures.add("stdout is not a JSON object (expected one on its last non-empty line or as the whole output)"
                    + " so the checks on " + String.join(", ", json.keySet()) + " cannot pass");
            return;
        }
        json.forEach((field, check) -> {
            JsonNode value = object.get(field);
            if (value == null) {
                failures.add("JSON field '" + Text.shorten(field) + "' is missing");
            } else {
                String failure = failure(field, value, check);
                if (failure != null) {
                    failures.add(failure);
                }
            }
        });
    }

    /** The JSON object on the last non-empty line of stdout, else the whole of stdout, else {@code null}. */
    static ObjectNode jsonObject(String stdout) {
        String text = stdout.startsWith("\uFEFF") ? stdout.substring(1) : stdout;
        String lastLine = lastNonEmptyLine(text);
        if (lastLine == null) {
            return null;
        }
        ObjectNode object = parseObject(lastLine);
        return object != null ? object : parseObject(text);
    }

    private static String lastNonEmptyLine(String text) {
        int end = text.length();
        for (int i = text.length() - 1; i >= -1; i--) {
            if (i == -1 || text.charAt(i) == '\n' || text.charAt(i) == '\r') {
                String line = text.substring(i + 1, end).strip();
                if (!line.isEmpty()) {
                    return line;
                }
                end = i;
            }
        }
        return null;
    }

    private static ObjectNode parseObject(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return node instanceof ObjectNode object ? object : null;
        } catch (Exception | StackOverflowError e) {
            // Malformed or hostile output is an outcome to report, not an error of ours.
            return null;
        }
    }

    private static String failure(String field, JsonNode value, JsonCheck check) {
        String name = "'" + Text.shorten(field) + "'";
        if (check instanceof JsonCheck.ProxyLogonPatched patched) {
            if (!value.isTextual()) {
                return "JSON field " + name + " is not a build number string: " + describe(value);
            }
            ProxyLogonBuilds.Verdict verdict = ProxyLogonBuilds.verdict(value.textValue());
            if (verdict.patched() == patched.expected()) {
                return null;
            }
            return patched.expected() ? verdict.reason()
                    : verdict.reason() + ", expected a build vulnerable to ProxyLogon";
        }
        if (check instanceof JsonCheck.Empty empty) {
            boolean isEmpty = value.isNull() || value.isTextual() && value.textValue().isEmpty()
                    || value.isContainerNode() && value.isEmpty();
            if (isEmpty == empty.expected()) {
                return null;
            }
            return empty.expected() ? "JSON field " + name + " is not empty: " + describe(value)
                    : "JSON field " + name + " is empty, expected a value";
        }
        if (check instanceof JsonCheck.VersionAtLeast || check instanceof JsonCheck.VersionBelow) {
            return versionFailure(name, value, check);
        }
        if (check instanceof JsonCheck.Equals equals) {
            if (matches(value, equals.value())) {
                return null;
            }
            return "JSON field " + name + " is " + describe(value) + ", expected " + describeExpected(equals.value());
        }
        throw new IllegalStateException("unknown JSON check " + check);
    }

    private static String versionFailure(String name, JsonNode value, JsonCheck check) {
        long[] actual = value.isTextual() ? Versions.parse(value.textValue()) : null;
        if (actual == null) {
            return "JSON field " + name + " is not a version such as 15.1.2176.9: " + describe(value);
        }
        if (check instanceof JsonCheck.VersionAtLeast atLeast) {
            return Versions.compare(actual, Versions.parse(atLeast.minimum())) >= 0 ? null
                    : "JSON field " + name + " is version " + value.textValue() + ", expected at least " + atLeast.minimum();
        }
        JsonCheck.VersionBelow below = (JsonCheck.VersionBelow) check;
        return Versions.compare(actual, Versions.parse(below.limit())) < 0 ? null
                : "JSON field " + name + " is version " + value.textValue() + ", expected below " + below.limit();
    }

    private static boolean matches(JsonNode value, Object expected) {
        if (expected == null) {
            return value.isNull();
        }
        if (expected instanceof String text) {
            return value.isTextual() && value.textValue().equals(text);
        }
        if (expected instanceof Long number) {
            return value.isIntegralNumber() && value.canConvertToLong() && value.longValue() == number;
        }
        if (expected instanceof Boolean bool) {
            return value.isBoolean() && value.booleanValue() == bool;
        }
        return false;
    }

    private static String describe(JsonNode value) {
        return Text.shorten(value.toString());
    }

    private static String describeExpected(Object expected) {
        if (expected instanceof String text) {
            return JSON.getNodeFactory().textNode(text).toString();
        }
        return String.valueOf(expected);
    }
}

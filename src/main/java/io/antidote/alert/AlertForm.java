package io.antidote.alert;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.engine.InvalidRequestException.Violation;
import io.antidote.engine.RequestText;
import io.antidote.playbook.AlertRuleParser;
import io.antidote.playbook.Severity;
import io.antidote.winrm.Target;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an alert from the text a source sent, by the API or the queue, the same way for both: a JSON object with
 * exactly the documented fields (docs/alerts.md), each checked, every problem named by its field. What could be
 * read of a refused alert is kept (cut and cleaned), so that its record says whose it was.
 */
final class AlertForm {

    static final Set<String> FIELDS = Set.of("source", "externalId", "server", "type", "severity", "occurredAt",
            "summary");
    /** Visible ASCII, as ids are: room for any product's incident id, within the run list's ticket limit. */
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\x21-\\x7E]{1,200}");
    static final int MAX_SUMMARY_CHARS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** What reading gave: the alert, or the violations, with whatever fields were readable in {@code seen}. */
    record Read(Alert alert, List<Violation> violations, boolean malformed, Seen seen) {
    }

    /** The fields of an alert as far as they could be read, for the record of a refused one. */
    record Seen(String source, String externalId, String server, String type, String severity) {
        static final Seen NOTHING = new Seen(null, null, null, null, null);
    }

    private AlertForm() {
    }

    /** @param mayClaim the only source the sender may name ({@link AlertSender#mayClaim()}), or null for any */
    static Read read(String text, OffsetDateTime now, Duration maxClockSkew, String mayClaim) {
        JsonNode body;
        try {
            body = text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new Read(null, List.of(new Violation("body", "is not JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("unreadable"))), true, Seen.NOTHING);
        }
        if (!(body instanceof ObjectNode object)) {
            return new Read(null, List.of(new Violation("body", "must be a JSON object with the alert's fields ("
                    + String.join(", ", FIELDS.stream().sorted().toList()) + ")")), true, Seen.NOTHING);
        }
        List<Violation> violations = new ArrayList<>();
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                violations.add(new Violation(clean(name, 60), "is not a field of an alert; the fields are "
                        + String.join(", ", FIELDS.stream().sorted().toList())));
            }
        }
        String source = word(object, "source", violations);
        if (source != null && mayClaim != null && !source.equals(mayClaim)) {
            violations.add(new Violation("source", "'" + clean(source, 80) + "' is not this caller's source: alerts sent"
                    + " with its credential name the source '" + clean(mayClaim, 80) + "' (the API token's name, or the"
                    + " OIDC subject), so that no sender speaks for another"));
        }
        String externalId = text(object, "externalId", true, violations);
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            violations.add(new Violation("externalId", "must be 1 to 200 visible ASCII characters (the source's id"
                    + " of the alert)"));
        }
        String server = text(object, "server", true, violations);
        if (server != null && !Target.NAME.matcher(server).matches()) {
            violations.add(new Violation("server", "'" + clean(server, 80) + "' is not a server name (letters, digits,"
                    + " '.' and '-', at most 63)"));
        }
        String type = word(object, "type", violations);
        String severityWord = text(object, "severity", true, violations);
        Severity severity = severityWord == null ? null : Severity.of(severityWord).orElse(null);
        if (severityWord != null && severity == null) {
            violations.add(new Violation("severity", "must be one of " + Severity.WORDS));
        }
        String time = text(object, "occurredAt", true, violations);
        OffsetDateTime occurredAt = null;
        if (time != null) {
            try {
                occurredAt = OffsetDateTime.parse(time);
                if (occurredAt.isAfter(now.plus(maxClockSkew))) {
                    violations.add(new Violation("occurredAt", "is " + Duration.between(now, occurredAt).toSeconds()
                            + " s ahead of this service's clock, more than the " + maxClockSkew.toSeconds()
                            + " s allowed (antidote.alerts.max-clock-skew)"));
                }
            } catch (DateTimeParseException e) {
                violations.add(new Violation("occurredAt", "must be a time with its offset, as RFC 3339 writes it"
                        + " (2026-12-07T11:42:00Z)"));
            }
        }
        String summary = text(object, "summary", false, violations);
        RequestText.check("summary", summary, MAX_SUMMARY_CHARS, violations);
        Seen seen = new Seen(clean(source, 100), clean(externalId, 200), clean(server, 63), clean(type, 100),
                clean(severityWord, 20));
        if (!violations.isEmpty()) {
            return new Read(null, violations, false, seen);
        }
        return new Read(new Alert(source, externalId, server, type, severity, occurredAt, summary), List.of(), false, seen);
    }

    /** A source or type: a word of letters, digits, '.', '_', ':' and '-', as rules name them. */
    private static String word(ObjectNode object, String field, List<Violation> violations) {
        String value = text(object, field, true, violations);
        if (value != null && !AlertRuleParser.WORD.matcher(value).matches()) {
            violations.add(new Violation(field, "must be 1 to 100 letters, digits, '.', '_', ':' or '-', found '"
                    + clean(value, 80) + "'"));
        }
        return value;
    }

    private static String text(ObjectNode object, String field, boolean required, List<Violation> violations) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(new Violation(field, "is required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation(field, "must be a string, found " + value.getNodeType().name().toLowerCase()));
            return null;
        }
        return value.asText();
    }

    /** Untrusted text kept in a record or echoed in an error: cut, without control characters or lone surrogates. */
    static String clean(String value, int max) {
        if (value == null) {
            return null;
        }
        StringBuilder cleaned = new StringBuilder();
        value.codePoints().limit(max).forEach(c -> cleaned.appendCodePoint(
                Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE ? '?' : c));
        return cleaned.toString();
    }
}

package io.antidote.store;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The hash that chains each event of a run to the one before it, making the history
 * tamper-evident: changing, removing or reordering any event changes every hash after it.
 *
 * <pre>
 * hash = lowercase hex of SHA-256( UTF-8( prevHash + "\n" + canonicalJson ) )
 * </pre>
 *
 * where {@code canonicalJson} is the object of the envelope fields {@code actor, attempt, data,
 * eventId, occurredAt, runId, seq, step, target, type} written by {@link CanonicalJson} (keys
 * sorted at every depth, no whitespace, nulls included, integers only), with ids as lower-case
 * UUID strings and {@code occurredAt} as ISO-8601 UTC with exactly six fraction digits
 * ({@code 2021-03-02T10:00:00.123456Z}). The first event of a run has {@link #GENESIS} as its
 * {@code prevHash}.
 *
 * <p>This definition is a contract with auditors' tools and with every hash already stored: it
 * must never change.
 */
public final class EventHash {

    /** The {@code prevHash} of the first event of every run: 64 zeros. */
    public static final String GENESIS = "0".repeat(64);

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final DateTimeFormatter MICROS_UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    // PostgreSQL's timestamptz cannot hold every Instant; four-digit years keep the text form fixed.
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private EventHash() {}

    /** The hash of the event that {@code event} becomes at {@code seq} of run {@code runId}. */
    public static String of(String prevHash, UUID runId, long seq, NewEvent event) {
        return hash(prevHash, canonicalJson(runId, seq, event));
    }

    /** Recomputes a stored event's hash from its fields and its {@code prevHash}. */
    public static String of(StoredEvent event) {
        return of(event.prevHash(), event.runId(), event.seq(), event.event());
    }

    /** SHA-256 hex of {@code prevHash + "\n" + canonicalJson}. */
    public static String hash(String prevHash, String canonicalJson) {
        Objects.requireNonNull(canonicalJson, "canonicalJson");
        if (prevHash == null || !SHA256_HEX.matcher(prevHash).matches()) {
            throw new IllegalArgumentException("prevHash must be 64 lower-case hex digits");
        }
        byte[] digest = sha256().digest((prevHash + "\n" + canonicalJson).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    /**
     * The canonical JSON of the event's envelope at {@code seq} of run {@code runId}.
     *
     * @throws IllegalArgumentException if the event holds something with no canonical form (see
     *     {@link CanonicalJson}) or an instant outside years 1 to 9999
     */
    public static String canonicalJson(UUID runId, long seq, NewEvent event) {
        return CanonicalJson.write(envelope(runId, seq, event));
    }

    /**
     * The envelope that is hashed, as a JSON object: the one definition of its fields and their
     * formats, shared by the hash, the API's events and the export lines (which add {@code prevHash},
     * {@code hash} and {@code record} to it).
     */
    static ObjectNode envelope(UUID runId, long seq, NewEvent event) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(event, "event");
        if (seq < 1) {
            throw new IllegalArgumentException("seq starts at 1, got " + seq);
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("actor", event.actor());
        out.put("attempt", event.attempt());
        out.set("data", event.data());
        out.put("eventId", event.eventId().toString());
        out.put("occurredAt", formatInstant(event.occurredAt()));
        out.put("runId", runId.toString());
        out.put("seq", seq);
        out.put("step", event.step());
        out.put("target", event.target());
        out.put("type", event.type());
        return out;
    }

    /** ISO-8601 UTC with exactly microsecond precision, finer digits truncated. */
    public static String formatInstant(Instant instant) {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        if (micros.isBefore(EARLIEST) || micros.isAfter(LATEST)) {
            throw new IllegalArgumentException("occurredAt must lie within years 1 to 9999, got " + instant);
        }
        return MICROS_UTC.format(micros);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}

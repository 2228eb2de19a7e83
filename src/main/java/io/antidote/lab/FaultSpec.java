package io.antidote.lab;

import io.antidote.lab.exchange.Fault;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Body of {@code POST /lab/hosts/{name}/faults}: a fault to set on a running host, and what starts it. Read
 * here, field by field, so that a body the lab cannot serve is refused naming the field, before anything is
 * set.
 *
 * @param kind     what the host does (see {@link PlacedFault.Kind}; the names of the spec faults where one exists)
 * @param duration how long it lasts once started ({@code 500ms}, {@code 30s}, {@code 2m}); none: until cleared
 * @param status   the status an {@code http-status} fault answers (400-599)
 * @param delay    the delay a {@code latency} fault adds to every reply
 * @param trigger  what starts it; none: now
 */
public record FaultSpec(String kind, String duration, Integer status, String delay, Trigger trigger) {

    /**
     * At most one way to start: {@code atCommand} (the host's Nth command, counted from its creation as its
     * command log counts), {@code matching} (the first command whose script holds a match of this regular
     * expression), {@code from} and/or {@code until} (instants), or {@code forSeconds} (from now).
     */
    public record Trigger(Long atCommand, String matching, String from, String until, Long forSeconds) {
    }

    /** A body that cannot be served; {@link #field()} names the field at fault. */
    static final class Invalid extends IllegalArgumentException {
        private final String field;
        private final String reason;

        Invalid(String field, String reason) {
            super(field + ": " + reason);
            this.field = field;
            this.reason = reason;
        }

        String field() {
            return field;
        }

        String reason() {
            return reason;
        }
    }

    /** Longest pattern a trigger may give: it is matched against every command the host receives. */
    static final int MAX_PATTERN = 256;
    /** Longest window, as long as the longest outage a spec may give a restart. */
    static final Duration MAX_WINDOW = Fault.MAX_UNREACHABLE;
    /** How far ahead a window may start: a lab host lives for a test or a rehearsal, not for days. */
    static final Duration MAX_LEAD = Duration.ofDays(1);

    /** The fault this body asks for, numbered {@code id}, for a host that has received {@code commands} so far. */
    PlacedFault toFault(long id, Instant now, long commands) {
        PlacedFault.Kind k = knownKind();
        PlacedFault.Trigger t = startedBy(now, commands);
        boolean windowEnds = t.until() != null;
        Duration lasts = null;
        if (duration != null) {
            if (windowEnds) {
                throw new Invalid("duration", "a fault with trigger.until lasts until then; give no duration");
            }
            lasts = duration("duration", duration, k == PlacedFault.Kind.OUTAGE ? Fault.MAX_UNREACHABLE : Fault.MAX_DURATION);
        } else if (!windowEnds && (k == PlacedFault.Kind.FREEZE || k == PlacedFault.Kind.OUTAGE)) {
            throw new Invalid("duration", "a " + k.name + " needs a duration or trigger.until (one that never ends is "
                    + (k == PlacedFault.Kind.FREEZE ? "a hang" : "refuse-connections") + ")");
        }
        if (status != null && k != PlacedFault.Kind.HTTP_STATUS) {
            throw new Invalid("status", "only an http-status fault takes a status");
        }
        if (k == PlacedFault.Kind.HTTP_STATUS && (status == null || status < 400 || status > 599)) {
            throw new Invalid("status", "an http-status fault needs an error status, 400-599");
        }
        if (delay != null && k != PlacedFault.Kind.LATENCY) {
            throw new Invalid("delay", "only a latency fault takes a delay");
        }
        if (k == PlacedFault.Kind.LATENCY && delay == null) {
            throw new Invalid("delay", "a latency fault needs a delay, such as 2s");
        }
        Duration latency = delay == null ? null : duration("delay", delay, Fault.MAX_DURATION);
        return new PlacedFault(id, k, lasts, status == null ? 0 : status, latency, t, now);
    }

    private PlacedFault.Kind knownKind() {
        if (kind == null) {
            throw new Invalid("kind", "required, one of " + PlacedFault.Kind.known());
        }
        return Arrays.stream(PlacedFault.Kind.values()).filter(k -> k.name.equals(kind.toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new Invalid("kind", "unknown; one of " + PlacedFault.Kind.known()));
    }

    private PlacedFault.Trigger startedBy(Instant now, long commands) {
        if (trigger == null) {
            return new PlacedFault.Trigger(null, null, now, null);
        }
        int ways = (trigger.atCommand() != null ? 1 : 0) + (trigger.matching() != null ? 1 : 0)
                + (trigger.from() != null || trigger.until() != null ? 1 : 0) + (trigger.forSeconds() != null ? 1 : 0);
        if (ways > 1) {
            throw new Invalid("trigger", "give one of atCommand, matching, from/until or forSeconds");
        }
        if (trigger.atCommand() != null) {
            long n = trigger.atCommand();
            if (n < 1) {
                throw new Invalid("trigger.atCommand", "a command number, 1 for the host's first command");
            }
            if (n <= commands) {
                throw new Invalid("trigger.atCommand", "the host has received " + commands
                        + " commands already; give a later one (GET /lab/hosts/{name}/commands counts them)");
            }
            return new PlacedFault.Trigger(n, null, null, null);
        }
        if (trigger.matching() != null) {
            return new PlacedFault.Trigger(null, pattern(trigger.matching()), null, null);
        }
        if (trigger.forSeconds() != null) {
            long seconds = trigger.forSeconds();
            if (seconds < 1 || seconds > MAX_WINDOW.toSeconds()) {
                throw new Invalid("trigger.forSeconds", "1 to " + MAX_WINDOW.toSeconds() + " seconds");
            }
            return new PlacedFault.Trigger(null, null, now, now.plusSeconds(seconds));
        }
        Instant from = trigger.from() == null ? now : instant("trigger.from", trigger.from());
        if (from.isAfter(now.plus(MAX_LEAD))) {
            throw new Invalid("trigger.from", "at most " + MAX_LEAD.toHours() + "h ahead");
        }
        if (from.isBefore(now)) {
            from = now; // a window already under way starts now
        }
        Instant until = trigger.until() == null ? null : instant("trigger.until", trigger.until());
        if (until != null && !until.isAfter(from)) {
            throw new Invalid("trigger.until", "must be after trigger.from and after now");
        }
        if (until != null && Duration.between(from, until).compareTo(MAX_WINDOW) > 0) {
            throw new Invalid("trigger.until", "a window lasts at most " + Fault.format(MAX_WINDOW));
        }
        return new PlacedFault.Trigger(null, null, from, until);
    }

    private static Pattern pattern(String regex) {
        if (regex.isBlank()) {
            throw new Invalid("trigger.matching", "a regular expression that a script holds a match of");
        }
        if (regex.length() > MAX_PATTERN) {
            throw new Invalid("trigger.matching", "at most " + MAX_PATTERN + " characters");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new Invalid("trigger.matching", "not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex());
        }
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Invalid(field, "an instant such as 2026-01-31T09:00:00Z");
        }
    }

    private static Duration duration(String field, String text, Duration max) {
        try {
            return Fault.duration(text, max);
        } catch (IllegalArgumentException e) {
            throw new Invalid(field, e.getMessage());
        }
    }
}

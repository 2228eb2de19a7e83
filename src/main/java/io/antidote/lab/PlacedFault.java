package io.antidote.lab;

import io.antidote.lab.exchange.Fault;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One fault set on a running host: what it does, what starts it, and where it stands. Tests place crashes,
 * outages and freezes mid-run with these, and read back which command started them, so that they can show
 * a fault hit exactly the command they meant. Guarded by its {@link FaultSchedule}'s lock.
 */
final class PlacedFault {

    /** What the host does while the fault is in force. */
    enum Kind {
        /** Requests are read and never answered, even after the fault ends. */
        HANG("hang"),
        /** Requests are held unanswered and served when the fault ends, as by a host that stopped for a while. */
        FREEZE("freeze"),
        /** Every request's connection is closed unanswered. */
        RESET("reset"),
        /** Nothing listens: connections are refused. */
        REFUSE_CONNECTIONS("refuse-connections"),
        /**
         * The host goes down as a restarting one does: it serves the exchanges under way, goes down at the first
         * request that starts something new, and stays down for the fault's duration from then.
         */
        OUTAGE("outage"),
        /** Every request is answered with the fault's status, without a body. */
        HTTP_STATUS("http-status"),
        /** Every shell creation is refused with the WS-Management shell-quota fault. */
        WSMAN_FAULT("wsman-fault"),
        /** Every reply is delayed by the fault's delay. */
        LATENCY("latency"),
        /** Every successful reply starts with a DTD. */
        HOSTILE_DTD("hostile-dtd"),
        /** Every successful reply declares an external entity naming a local file. */
        HOSTILE_XXE("hostile-xxe"),
        /** Every successful reply carries an entity-expansion bomb. */
        HOSTILE_ENTITY_BOMB("hostile-entity-bomb");

        final String name;

        Kind(String name) {
            this.name = name;
        }

        static String known() {
            List<String> names = new ArrayList<>();
            for (Kind k : values()) {
                names.add(k.name);
            }
            return String.join(", ", names);
        }
    }

    /** Where the fault stands: waiting for its trigger, in force, or over. */
    enum State { ARMED, ACTIVE, ENDED }

    /**
     * What starts the fault: the host's Nth command (counted as its command log counts them), the first
     * command whose script the pattern finds a match in, or an instant; {@code until}, if set, ends it.
     */
    record Trigger(Long atCommand, Pattern matching, Instant from, Instant until) {
        boolean onCommand() {
            return atCommand != null || matching != null;
        }
    }

    final long id;
    final Kind kind;
    /** How long it lasts once in force (an outage: once down); null for a window's fault or one that lasts until cleared. */
    final Duration duration;
    final int status;
    final Duration delay;
    final Trigger trigger;
    final Instant setAt;

    State state = State.ARMED;
    Instant activeFrom;
    /** The number of the command that started it, in the host's command log's count. */
    Long activatedByCommand;
    /** An outage: when the host went down. */
    Instant downFrom;
    Instant endsAt;
    Instant endedAt;
    /** Vert.x timers that start or end it, cancelled when it is cleared. */
    final List<Long> timers = new ArrayList<>();

    PlacedFault(long id, Kind kind, Duration duration, int status, Duration delay, Trigger trigger, Instant setAt) {
        this.id = id;
        this.kind = kind;
        this.duration = duration;
        this.status = status;
        this.delay = delay;
        this.trigger = trigger;
        this.setAt = setAt;
    }

    boolean active() {
        return state == State.ACTIVE;
    }

    /** An outage that has gone down (an active outage before that still lets the host serve). */
    boolean down() {
        return active() && downFrom != null;
    }

    /** As the lab control API shows it. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("kind", kind.name);
        if (kind == Kind.HTTP_STATUS) {
            d.put("status", status);
        }
        if (delay != null) {
            d.put("delay", Fault.format(delay));
        }
        if (duration != null) {
            d.put("duration", Fault.format(duration));
        }
        Map<String, Object> t = new LinkedHashMap<>();
        if (trigger.atCommand() != null) {
            t.put("atCommand", trigger.atCommand());
        }
        if (trigger.matching() != null) {
            t.put("matching", trigger.matching().pattern());
        }
        if (trigger.from() != null) {
            t.put("from", trigger.from().toString());
        }
        if (trigger.until() != null) {
            t.put("until", trigger.until().toString());
        }
        d.put("trigger", t);
        d.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        d.put("setAt", setAt.toString());
        putIfSet(d, "activeFrom", activeFrom);
        if (activatedByCommand != null) {
            d.put("activatedByCommand", activatedByCommand);
        }
        putIfSet(d, "downFrom", downFrom);
        putIfSet(d, "endsAt", endsAt);
        putIfSet(d, "endedAt", endedAt);
        return d;
    }

    private static void putIfSet(Map<String, Object> d, String key, Instant at) {
        if (at != null) {
            d.put(key, at.toString());
        }
    }
}

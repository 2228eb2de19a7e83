package io.antidote.lab;

import io.antidote.lab.wsman.WsManFaults;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The faults set on one running host ({@code POST /lab/hosts/{name}/faults}), so that a test can place a crash,
 * an outage or a freeze at a chosen point of a run: at the host's Nth command, at the first command whose script
 * matches a pattern, or for a window of time. Faults with a command trigger start as that command arrives,
 * after it is logged: the command runs, and the fault hits what follows (its own reply only for latency and
 * hostile XML, which apply as replies are written).
 *
 * <p>The host's command log is appended here, under the same lock as the triggers are checked and new faults
 * validated, so that "the Nth command" means the log's Nth entry, and a fault set for a command number the
 * host has not reached yet cannot miss it. One lock per host: commands arrive on the endpoint's event loop,
 * the API and the timers come from other threads.
 */
final class FaultSchedule {

    private static final Logger LOG = Logger.getLogger(FaultSchedule.class);

    /** Faults waiting for their trigger or in force at once, per host. */
    static final int MAX_PENDING = 32;
    /** Faults over that are still shown, the oldest going first. */
    static final int ENDED_KEPT = 32;
    /** Characters a pattern may read from one script before it is taken as not matching: no runaway backtracking. */
    static final long MATCH_BUDGET = 1_000_000;

    private final String host;
    private final Vertx vertx;
    private final WsManFaults switches;
    private final CommandLog log;
    private final Runnable changed;
    private final List<PlacedFault> faults = new ArrayList<>();
    private long nextId = 1;

    /**
     * @param changed re-applies the endpoint's switches from the active faults; called under this schedule's lock
     */
    FaultSchedule(String host, Vertx vertx, WsManFaults switches, CommandLog log, Runnable changed) {
        this.host = host;
        this.vertx = vertx;
        this.switches = switches;
        this.log = log;
        this.changed = changed;
    }

    /** Validates and sets a fault; it starts now if its trigger says so. */
    synchronized PlacedFault place(FaultSpec spec) {
        PlacedFault fault = spec.toFault(nextId, Instant.now(), log.count());
        if (faults.stream().filter(f -> f.state != PlacedFault.State.ENDED).count() >= MAX_PENDING) {
            throw new FaultSpec.Invalid("trigger", "a host holds at most " + MAX_PENDING
                    + " faults waiting or in force; DELETE them first");
        }
        nextId++;
        faults.add(fault);
        PlacedFault.Trigger trigger = fault.trigger;
        if (!trigger.onCommand()) {
            long lead = Duration.between(fault.setAt, trigger.from()).toMillis();
            if (lead <= 0) {
                activate(fault, null);
            } else {
                fault.timers.add(vertx.setTimer(lead, id -> activateLater(fault)));
            }
        }
        return fault;
    }

    /** A command arrived: logged, then the faults it triggers start. Called on the endpoint's event loop. */
    synchronized void commandArrived(CommandLog.Entry entry) {
        long number = log.add(entry);
        for (PlacedFault fault : List.copyOf(faults)) {
            if (fault.state != PlacedFault.State.ARMED || !fault.trigger.onCommand()) {
                continue;
            }
            Long at = fault.trigger.atCommand();
            if ((at != null && at == number) || (fault.trigger.matching() != null
                    && finds(fault.trigger.matching(), entry.script(), fault.id))) {
                activate(fault, number);
            }
        }
    }

    /** The faults in force, in the order they started: a later one wins where two set the same switch. */
    synchronized List<PlacedFault> active() {
        return faults.stream().filter(PlacedFault::active)
                .sorted(Comparator.comparing((PlacedFault f) -> f.activeFrom).thenComparingLong(f -> f.id)).toList();
    }

    synchronized List<Map<String, Object>> describe() {
        return faults.stream().map(PlacedFault::describe).toList();
    }

    /** Ends and forgets every fault set here; the host's spec faults stay. */
    synchronized void clear() {
        for (PlacedFault fault : faults) {
            fault.timers.forEach(vertx::cancelTimer);
            if (fault.kind == PlacedFault.Kind.OUTAGE && fault.active() && !fault.down()) {
                switches.cancelGoingDown();
            }
        }
        faults.clear();
        changed.run();
    }

    private synchronized void activateLater(PlacedFault fault) {
        if (faults.contains(fault) && fault.state == PlacedFault.State.ARMED) {
            activate(fault, null);
        }
    }

    private void activate(PlacedFault fault, Long byCommand) {
        Instant now = Instant.now();
        fault.state = PlacedFault.State.ACTIVE;
        fault.activeFrom = now;
        fault.activatedByCommand = byCommand;
        if (fault.trigger.until() != null) {
            endAt(fault, fault.trigger.until());
        }
        if (fault.kind == PlacedFault.Kind.OUTAGE) {
            switches.goDownAtNextRequest(() -> wentDown(fault));
        } else if (fault.duration != null) {
            endAt(fault, now.plus(fault.duration));
        }
        LOG.infof("Lab host %s: fault %d (%s) in force%s", host, fault.id, fault.kind.name,
                byCommand == null ? "" : " from command " + byCommand);
        changed.run();
    }

    private synchronized void wentDown(PlacedFault fault) {
        if (!faults.contains(fault) || !fault.active()) {
            return;
        }
        fault.downFrom = Instant.now();
        if (fault.duration != null) {
            endAt(fault, fault.downFrom.plus(fault.duration));
        }
        changed.run();
    }

    private void endAt(PlacedFault fault, Instant at) {
        if (fault.endsAt != null && !at.isBefore(fault.endsAt)) {
            return;
        }
        fault.endsAt = at;
        long delay = Math.max(1, Duration.between(Instant.now(), at).toMillis());
        fault.timers.add(vertx.setTimer(delay, id -> end(fault)));
    }

    private synchronized void end(PlacedFault fault) {
        // The first of its timers to fire is its end: a later end is never set (endAt).
        if (!faults.contains(fault) || !fault.active()) {
            return;
        }
        if (fault.kind == PlacedFault.Kind.OUTAGE && !fault.down()) {
            switches.cancelGoingDown();
        }
        fault.state = PlacedFault.State.ENDED;
        fault.endedAt = Instant.now();
        LOG.infof("Lab host %s: fault %d (%s) over", host, fault.id, fault.kind.name);
        List<PlacedFault> ended = faults.stream().filter(f -> f.state == PlacedFault.State.ENDED).toList();
        if (ended.size() > ENDED_KEPT) {
            faults.remove(ended.get(0));
        }
        changed.run();
    }

    /** Whether the pattern finds a match in the script, within {@link #MATCH_BUDGET}; a pattern out of budget does not. */
    private boolean finds(Pattern pattern, String script, long id) {
        try {
            return pattern.matcher(new BoundedText(script, MATCH_BUDGET)).find();
        } catch (BoundedText.Exhausted e) {
            LOG.warnf("Lab host %s: the pattern of fault %d read more than %d characters of a command; taken as"
                    + " no match", host, id, MATCH_BUDGET);
            return false;
        }
    }

    /** A script as the matcher reads it, counting the characters read: a pattern that backtracks without end stops. */
    private static final class BoundedText implements CharSequence {

        static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String text;
        private final long[] left;

        BoundedText(String text, long budget) {
            this(text, new long[]{budget});
        }

        private BoundedText(String text, long[] left) {
            this.text = text;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BoundedText(text.substring(start, end), left);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}

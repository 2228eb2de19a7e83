package io.antidote.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** What someone (a user or the engine) asks of a run. {@link RunDecider#decide} answers with events. */
public sealed interface RunCommand {

    Instant at();

    /** Open a new run. */
    record RequestRun(UUID runId, RunPlan plan, Map<String, Object> params, String ticket, String idempotencyKey,
                      String actor, Instant at) implements RunCommand {
    }

    /**
     * Open a new run that goes on from where an ended run ({@code source}, FAILED or CANCELLED) stopped: the same
     * plan for its targets that did not succeed, each resuming at the step where it stopped with what the steps
     * before recorded carried over, approvals asked again (see {@code Retries} and docs/playbooks.md "Retry").
     *
     * @param source the ended run's stream, each event with its seq, so that what is carried over names its record
     * @param skips  steps a person skips in the new run, each with their reason (the API lets only an admin)
     */
    record RetryRun(UUID runId, List<Recorded> source, List<Skip> skips, String actor, Instant at)
            implements RunCommand {
        public RetryRun {
            source = List.copyOf(source);
            skips = skips == null ? List.of() : List.copyOf(skips);
        }

        /** One event of the source run as stored, with its place in the stream. */
        public record Recorded(long seq, RunEvent event) {
        }

        /** A step not to run on a target of the retry, and why. */
        public record Skip(String target, String step, String reason) {
        }
    }

    /**
     * Move the run on as far as it can go at {@code at}: start targets and steps, fire due timers (a retry
     * whose time has come starts, an approval or attempt past its deadline times out), finish it.
     *
     * @param busyTargets targets that another run holds now, and groups ({@link RunPlan#groupOf}) of which
     *                    another run holds a member; they (and the group's members) are not started by this one
     * @param holds       for a busy name held through a group, who holds it (named in the reason it waits)
     */
    record Advance(Instant at, Set<String> busyTargets, Map<String, GroupHold> holds) implements RunCommand {
        public Advance {
            busyTargets = busyTargets == null ? Set.of() : Set.copyOf(busyTargets);
            holds = holds == null ? Map.of() : Map.copyOf(holds);
        }

        public Advance(Instant at, Set<String> busyTargets) {
            this(at, busyTargets, Map.of());
        }

        public Advance(Instant at) {
            this(at, Set.of());
        }
    }

    /**
     * Attempts began on a worker, with their connection slots: the timeout of each counts from when it began, not
     * from when it was started (queued for a worker). Several, because beginnings noted while the run's writer is
     * busy are recorded together. {@code at}: when they are recorded.
     */
    record NoteBegun(List<Began> attempts, Instant at) implements RunCommand {
        public NoteBegun {
            attempts = List.copyOf(attempts);
        }

        /** One attempt of a step on a target, and when it began. */
        public record Began(String target, String step, int attempt, Instant at) {
        }
    }

    /** Record how one attempt of a step ended. */
    record RecordOutcome(String target, String step, int attempt, StepOutcome outcome, Instant at)
            implements RunCommand {
    }

    /**
     * The engine restarted, or adopted the run: attempts shown as running have no outcome and never will. An
     * attempt of a read-only step is closed and runs again; one of a step that changes the server is recorded
     * as of unknown outcome ({@link RunEvent.StepOutcomeUnknown}), for the engine to probe its marker.
     *
     * @param maxCrashReruns how many times one step may run again because its outcome was lost (the setting
     *                       {@code antidote.engine.max-crash-reruns}); beyond it the target fails
     */
    record Recover(Instant at, Set<String> busyTargets, int maxCrashReruns, Map<String, GroupHold> holds)
            implements RunCommand {
        /** The cap when the engine's setting is not given (tests, older callers). */
        public static final int DEFAULT_MAX_CRASH_RERUNS = 3;

        public Recover {
            busyTargets = busyTargets == null ? Set.of() : Set.copyOf(busyTargets);
            holds = holds == null ? Map.of() : Map.copyOf(holds);
        }

        public Recover(Instant at, Set<String> busyTargets, int maxCrashReruns) {
            this(at, busyTargets, maxCrashReruns, Map.of());
        }

        public Recover(Instant at, Set<String> busyTargets) {
            this(at, busyTargets, DEFAULT_MAX_CRASH_RERUNS);
        }

        public Recover(Instant at) {
            this(at, Set.of());
        }
    }

    /**
     * The engine probed the marker of an attempt whose outcome was unknown. {@code found} is the outcome the
     * marker recorded when it says the script finished and holds enough to judge it (else null);
     * {@code detail} says what the probe saw, in words for the run's history.
     */
    record ResolveOutcome(String target, String step, int attempt, HostMarker marker, StepOutcome found,
                          String detail, int maxCrashReruns, Instant at) implements RunCommand {
    }

    /** Someone approves or rejects a step waiting for approval; {@code target} null means every waiting target. */
    record DecideApproval(String target, String step, boolean approve, String comment, String actor, Instant at)
            implements RunCommand {
    }

    /** Someone asks the run to stop. */
    record Cancel(CancelMode mode, String actor, Instant at) implements RunCommand {
    }

    /**
     * Someone returns a server this run left isolated to service, without the run having verified it fixed
     * and clean: the playbook's restore step runs on it. Only for a target the run is done with.
     */
    record ReleaseTarget(String target, String reason, String actor, Instant at) implements RunCommand {
    }

    /** What happens to an attempt running when a run is cancelled. */
    enum CancelMode {
        /** It runs to its end and its outcome is recorded. */
        FINISH_STEP,
        /** The engine stops waiting for it; it is recorded as failed by the cancel. */
        INTERRUPT
    }
}

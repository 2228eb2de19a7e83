package io.antidote.engine;

import io.antidote.workflow.RunCommand;
import io.antidote.workflow.RunCommand.Advance;
import io.antidote.workflow.RunCommand.RecordOutcome;
import io.antidote.workflow.RunCommand.RequestRun;
import io.antidote.workflow.RunPlan;
import io.antidote.workflow.RunPlan.PlannedStep;
import io.antidote.workflow.RunState;
import io.antidote.workflow.StepOutcome;
import io.antidote.workflow.TargetState;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs made up from a seed: random plans, and at each point a random command among those the decider
 * accepts (advance, or an outcome for the step that is running), so that generated histories are
 * valid but cover every status, including runs left half-way.
 */
final class RandomRuns {

    static final List<String> PLAYBOOKS = List.of("proxylogon-remediation", "exchange-health", "webshell-scan");

    private final Random random;
    private Instant clock;

    RandomRuns(long seed, Instant start) {
        this.random = new Random(seed);
        this.clock = start;
    }

    /** Time moves on by a random number of microseconds for every command. */
    Instant tick() {
        clock = clock.plusNanos(1_000L * (1 + random.nextInt(5_000_000)));
        return clock;
    }

    RequestRun request(String ticketPrefix) {
        return request(ticketPrefix, "ex");
    }

    /** A run on targets named {@code targetPrefix} and a number. */
    RequestRun request(String ticketPrefix, String targetPrefix) {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        List<PlannedStep> steps = new ArrayList<>();
        int stepCount = 1 + random.nextInt(4);
        for (int i = 1; i <= stepCount; i++) {
            // Later steps now and then run only where step-1 reported ok, so histories hold skipped steps too.
            RunPlan.When when = i > 1 && random.nextInt(3) == 0
                    ? new RunPlan.When(null, "step-1", "ok", true, false) : null;
            steps.add(new PlannedStep("step-" + i, null, 0, null, null, false, false, false, when));
        }
        List<String> targets = new ArrayList<>();
        int first = random.nextInt(20);
        int targetCount = 1 + random.nextInt(3);
        for (int i = 0; i < targetCount; i++) {
            targets.add(targetPrefix + String.format("%02d", first + i));
        }
        RunPlan plan = new RunPlan(PLAYBOOKS.get(random.nextInt(PLAYBOOKS.size())), HexFormat.of().formatHex(digest),
                steps, targets);
        String ticket = random.nextInt(4) == 0 ? null : ticketPrefix + "-" + random.nextInt(10);
        return new RequestRun(UUID.randomUUID(), plan, Map.of("patchShare", "C:\\Patches"), ticket, null,
                random.nextBoolean() ? "alice" : "servicenow", tick());
    }

    /** A command the decider accepts in this (non-terminal) state. */
    RunCommand next(RunState state) {
        Optional<RecordOutcome> outcome = outcomeFor(state);
        return outcome.isPresent() ? outcome.get() : new Advance(tick());
    }

    /** An outcome for the step running in this state, if one runs. */
    Optional<RecordOutcome> outcomeFor(RunState state) {
        for (TargetState target : state.targets()) {
            var running = target.runningStep();
            if (running.isPresent()) {
                return Optional.of(new RecordOutcome(target.name(), running.get().id(), running.get().attempts(),
                        outcome(), tick()));
            }
        }
        return Optional.empty();
    }

    /** Mostly successes, so that runs get far; failures and transport errors now and then. */
    StepOutcome outcome() {
        int roll = random.nextInt(20);
        if (roll == 0) {
            return new StepOutcome.Errored("connection refused");
        }
        if (roll == 1) {
            return new StepOutcome.Completed(1, "", "patch failed", List.of("exit code 1, expected 0"));
        }
        boolean ok = random.nextBoolean();
        return new StepOutcome.Completed(0, "{\"ok\":" + ok + "}", "", List.of(), Map.of("ok", ok));
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    static <T> T await(Supplier<Uni<T>> work) {
        try {
            return VertxContextSupport.subscribeAndAwait(work);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}

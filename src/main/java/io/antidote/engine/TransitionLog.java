package io.antidote.engine;

import io.antidote.workflow.RunEvent;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * One INFO line for every event a run commits: the run's, its targets' and its steps' transitions, with the run,
 * target, step and actor in the MDC. The line says what happened and names no output: a step's stdout, a run's
 * parameters and a condition's values stay in the event store, where secret parameters are masked or never kept.
 */
final class TransitionLog {

    private static final Logger LOG = Logger.getLogger(TransitionLog.class);

    private TransitionLog() {
    }

    static void committed(UUID runId, String playbook, List<RunEvent> events) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        for (RunEvent event : events) {
            String target = event instanceof RunEvent.OfTarget t ? t.target() : null;
            String step = event instanceof RunEvent.AtStep s ? s.step() : null;
            try (RunMdc ignored = RunMdc.of(runId, target, step, event.actor())) {
                LOG.infof("Run %s %s%s", runId, event.getClass().getSimpleName(), detail(event, playbook));
            }
        }
    }

    private static String detail(RunEvent event, String playbook) {
        String where = event instanceof RunEvent.AtStep s ? ": " + s.step() + " on " + s.target()
                : event instanceof RunEvent.OfTarget t ? ": " + t.target() : " (" + playbook + ")";
        return event.accept(new Detail(where));
    }

    /**
     * What a line adds after where the event happened. Every kind is named, so that a new event is a compile
     * error here until someone decides what its line says; none may add a step's output or a parameter.
     */
    private static final class Detail implements RunEvent.Visitor<String> {
        private final String where;

        Detail(String where) {
            this.where = where;
        }

        @Override
        public String runRequested(RunEvent.RunRequested e) {
            // The request's line says what was asked for instead of where: it is where the run begins.
            return ": playbook " + e.plan().playbook() + " on " + e.plan().targets().size() + " target(s), ticket "
                    + e.ticket();
        }

        @Override
        public String runStarted(RunEvent.RunStarted e) {
            return where;
        }

        @Override
        public String targetStarted(RunEvent.TargetStarted e) {
            return where;
        }

        @Override
        public String stepStarted(RunEvent.StepStarted e) {
            return where + ", attempt " + e.attempt();
        }

        @Override
        public String stepBegan(RunEvent.StepBegan e) {
            return where;
        }

        @Override
        public String stepSucceeded(RunEvent.StepSucceeded e) {
            return where + ", attempt " + e.attempt() + ", exit " + e.exitCode();
        }

        @Override
        public String stepSkipped(RunEvent.StepSkipped e) {
            return where;
        }

        @Override
        public String stepFailed(RunEvent.StepFailed e) {
            return where + ", attempt " + e.attempt() + (e.exitCode() == null ? "" : ", exit " + e.exitCode());
        }

        @Override
        public String stepTimedOut(RunEvent.StepTimedOut e) {
            return where;
        }

        @Override
        public String stepInterrupted(RunEvent.StepInterrupted e) {
            return where;
        }

        @Override
        public String stepOutcomeUnknown(RunEvent.StepOutcomeUnknown e) {
            return where;
        }

        @Override
        public String stepOutcomeFound(RunEvent.StepOutcomeFound e) {
            return where;
        }

        @Override
        public String stepRetryScheduled(RunEvent.StepRetryScheduled e) {
            return where + ", attempt " + (e.attempt() + 1) + " due " + e.dueAt();
        }

        @Override
        public String approvalRequested(RunEvent.ApprovalRequested e) {
            return where;
        }

        @Override
        public String approvalGranted(RunEvent.ApprovalGranted e) {
            return where;
        }

        @Override
        public String approvalRejected(RunEvent.ApprovalRejected e) {
            return where;
        }

        @Override
        public String approvalTimedOut(RunEvent.ApprovalTimedOut e) {
            return where;
        }

        @Override
        public String compensationStarted(RunEvent.CompensationStarted e) {
            return where;
        }

        @Override
        public String stepCompensated(RunEvent.StepCompensated e) {
            return where;
        }

        @Override
        public String compensationFailed(RunEvent.CompensationFailed e) {
            return where;
        }

        @Override
        public String targetWaiting(RunEvent.TargetWaiting e) {
            return where;
        }

        @Override
        public String targetVerdictRecorded(RunEvent.TargetVerdictRecorded e) {
            return where + ": " + e.verdict().patch() + ", " + e.verdict().compromise() + ", " + e.verdict().service();
        }

        @Override
        public String targetReleased(RunEvent.TargetReleased e) {
            return where;
        }

        @Override
        public String targetCancelled(RunEvent.TargetCancelled e) {
            return where;
        }

        @Override
        public String cancelRequested(RunEvent.CancelRequested e) {
            return where;
        }

        @Override
        public String runCancelled(RunEvent.RunCancelled e) {
            return where;
        }

        @Override
        public String targetSucceeded(RunEvent.TargetSucceeded e) {
            return where;
        }

        @Override
        public String targetFailed(RunEvent.TargetFailed e) {
            return where + ": " + e.reason();
        }

        @Override
        public String targetSkipped(RunEvent.TargetSkipped e) {
            return where;
        }

        @Override
        public String runSucceeded(RunEvent.RunSucceeded e) {
            return where;
        }

        @Override
        public String runFailed(RunEvent.RunFailed e) {
            return where + ": " + e.reason();
        }

        @Override
        public String retryRequested(RunEvent.RetryRequested e) {
            return where + ": goes on from run " + e.retryOf() + " for " + e.targets().size() + " target(s)";
        }

        @Override
        public String stepCarriedOver(RunEvent.StepCarriedOver e) {
            return where + ", " + e.status() + " in run " + e.fromRun() + " (seq " + e.fromSeq() + ")";
        }

        @Override
        public String stepSkippedByPerson(RunEvent.StepSkippedByPerson e) {
            return where + ", skipped by " + e.actor();
        }
    }
}

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
        if (event instanceof RunEvent.RunRequested e) {
            return ": playbook " + e.plan().playbook() + " on " + e.plan().targets().size() + " target(s), ticket "
                    + e.ticket();
        }
        String where = event instanceof RunEvent.AtStep s ? ": " + s.step() + " on " + s.target()
                : event instanceof RunEvent.OfTarget t ? ": " + t.target() : " (" + playbook + ")";
        if (event instanceof RunEvent.StepStarted e) {
            return where + ", attempt " + e.attempt();
        }
        if (event instanceof RunEvent.StepSucceeded e) {
            return where + ", attempt " + e.attempt() + ", exit " + e.exitCode();
        }
        if (event instanceof RunEvent.StepFailed e) {
            return where + ", attempt " + e.attempt() + (e.exitCode() == null ? "" : ", exit " + e.exitCode());
        }
        if (event instanceof RunEvent.StepRetryScheduled e) {
            return where + ", attempt " + (e.attempt() + 1) + " due " + e.dueAt();
        }
        if (event instanceof RunEvent.TargetFailed e) {
            return where + ": " + e.reason();
        }
        if (event instanceof RunEvent.RunFailed e) {
            return where + ": " + e.reason();
        }
        if (event instanceof RunEvent.TargetVerdictRecorded e) {
            return where + ": " + e.verdict().patch() + ", " + e.verdict().compromise() + ", " + e.verdict().service();
        }
        return where;
    }
}

package io.antidote.engine;

import io.antidote.workflow.RunCommand;
import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * A person's command as the command inbox keeps it ({@code store.RunCommandInbox}): its kind and what the person
 * asked, the actor included, without its time. The owner decides it at its own now, so that the run's events
 * keep their order in time whichever replica received the command and however long it waited.
 */
final class QueuedCommands {

    private QueuedCommands() {
    }

    /** The commands a person sends to a run in progress; others never go through the inbox. */
    static boolean queueable(RunCommand command) {
        return command instanceof RunCommand.DecideApproval || command instanceof RunCommand.Cancel
                || command instanceof RunCommand.ReleaseTarget;
    }

    static String kind(RunCommand command) {
        return command.getClass().getSimpleName();
    }

    static String actor(RunCommand command) {
        if (command instanceof RunCommand.DecideApproval approval) {
            return approval.actor();
        }
        if (command instanceof RunCommand.Cancel cancel) {
            return cancel.actor();
        }
        if (command instanceof RunCommand.ReleaseTarget release) {
            return release.actor();
        }
        throw new IllegalArgumentException(kind(command) + " is no person's command");
    }

    static JsonObject encode(RunCommand command) {
        if (command instanceof RunCommand.DecideApproval approval) {
            return new JsonObject().put("target", approval.target()).put("step", approval.step())
                    .put("approve", approval.approve()).put("comment", approval.comment())
                    .put("actor", approval.actor());
        }
        if (command instanceof RunCommand.Cancel cancel) {
            return new JsonObject().put("mode", cancel.mode().name()).put("actor", cancel.actor());
        }
        if (command instanceof RunCommand.ReleaseTarget release) {
            return new JsonObject().put("target", release.target()).put("reason", release.reason())
                    .put("actor", release.actor());
        }
        throw new IllegalArgumentException(kind(command) + " is no person's command");
    }

    static RunCommand decode(String kind, JsonObject json, Instant at) {
        return switch (kind) {
            case "DecideApproval" -> new RunCommand.DecideApproval(json.getString("target"), json.getString("step"),
                    json.getBoolean("approve"), json.getString("comment"), json.getString("actor"), at);
            case "Cancel" -> new RunCommand.Cancel(RunCommand.CancelMode.valueOf(json.getString("mode")),
                    json.getString("actor"), at);
            case "ReleaseTarget" -> new RunCommand.ReleaseTarget(json.getString("target"), json.getString("reason"),
                    json.getString("actor"), at);
            default -> throw new IllegalArgumentException("no person's command is called '" + kind + "'");
        };
    }
}

package io.antidote.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code POST /api/v1/runs/{id}/retry} (issue 15 point 4, docs/api.md "Retry and skip"): a new run, linked to this
 * one both ways, for its targets that failed or were skipped, each resuming at the step where it stopped. An admin
 * may skip steps on record ({@code --skip TARGET/STEP=REASON}). The answer is the new run.
 */
@Command(name = "retry", description = "Start a linked run for the targets of RUN that failed or were skipped, "
        + "each from the step where it stopped.")
final class RetryCommand extends OnRun {

    @Option(names = "--skip", paramLabel = "TARGET/STEP=REASON", description = "Skip that step on that target, on "
            + "record with the reason (admin; repeatable).")
    List<String> skips = new ArrayList<>();

    @Override
    public Integer call() {
        List<Map<String, Object>> skip = new ArrayList<>();
        for (String text : skips) {
            int slash = text.indexOf('/');
            int equals = text.indexOf('=', Math.max(slash, 0));
            if (slash < 1 || equals < slash + 2 || equals == text.length() - 1) {
                throw new CommandFailed(Exit.USAGE, "--skip " + text + ": expected TARGET/STEP=REASON");
            }
            skip.add(Api.fields("target", text.substring(0, slash), "step", text.substring(slash + 1, equals),
                    "reason", text.substring(equals + 1)));
        }
        Api.Answer answer = connection.api().post(runPath() + "/retry",
                Api.fields("skip", skip.isEmpty() ? null : skip), Map.of());
        JsonNode retry = answer.body();
        if (printer.json) {
            printer.json(retry);
        } else {
            printer.line("Retrying run " + run + " as run " + Printer.text(retry, "id") + " (" + Printer.text(retry, "status") + ")");
            printer.line("Follow it with: antidote runs watch " + Printer.text(retry, "id"));
        }
        return Exit.OK;
    }
}

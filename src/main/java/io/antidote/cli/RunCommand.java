package io.antidote.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Requests a run the way an approver would want it requested: the service first renders the plan (a dry run: the
 * exact scripts, nothing written), the CLI shows its playbook digest and asks for confirmation, and only then
 * sends the request, with an Idempotency-Key so that sending it again after a lost answer cannot start a second
 * run. If the run was planned from another version of the playbook than the one shown, it says so and exits 1.
 */
@Command(name = "run", description = "Request a run: shows the plan (playbook digest, steps per target) and asks "
        + "before requesting it. --dry-run shows the plan only.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    Connection connection;
    @Mixin
    Printer printer;

    @Parameters(paramLabel = "PLAYBOOK", description = "The playbook's name.")
    String playbook;

    @Option(names = {"-t", "--target"}, paramLabel = "NAME", description = "A target by name (repeatable).")
    List<String> targets = new ArrayList<>();

    @Option(names = {"-l", "--label"}, paramLabel = "KEY=VALUE", description = "Also every target carrying all these labels.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE", description = "A parameter, as text (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--param-json", paramLabel = "NAME=JSON", description = "A parameter as a JSON value (a number, a list...).")
    Map<String, String> jsonParams = new LinkedHashMap<>();

    @Option(names = "--ticket", description = "The change or incident ticket.")
    String ticket;

    @Option(names = "--on-busy", paramLabel = "WAIT|REFUSE", description = "When a target is held by another run.")
    String onBusy;

    @Option(names = "--dry-run", description = "Show the plan only; request nothing.")
    boolean dryRun;

    @Option(names = "--scripts", description = "Show each step's exact script in the plan.")
    boolean scripts;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation (scripts).")
    boolean yes;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Sent as Idempotency-Key (default: a new random one).")
    String idempotencyKey;

    private final Console console;

    RunCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        Api api = connection.api();
        Map<String, Object> body = body();
        body.put("dryRun", true);
        JsonNode preview = api.post("api/v1/runs", body);
        if (printer.json && dryRun) {
            printer.json(preview);
        } else {
            describe(preview, printer.json ? new Printer(stderrOnly()) : printer);
        }
        if (dryRun) {
            return Exit.OK;
        }
        String digest = preview.path("digest").asText();
        if (!yes && !confirmed(digest, preview.path("targets").size())) {
            console.err().println("antidote: not confirmed; nothing requested");
            return Exit.FAILED;
        }
        body.remove("dryRun");
        String key = idempotencyKey != null ? idempotencyKey : "cli-" + UUID.randomUUID();
        Api.Answer answer = api.post("api/v1/runs", body, Map.of("Idempotency-Key", key));
        JsonNode run = answer.body();
        if (printer.json) {
            printer.json(run);
        } else {
            printer.line("Requested run " + Printer.text(run, "id") + " (" + Printer.text(run, "status") + ")");
            printer.line("Follow it with: antidote runs watch " + Printer.text(run, "id"));
        }
        if (!digest.equals(run.path("playbookDigest").asText())) {
            console.err().println("antidote: the run was planned from playbook digest " + run.path("playbookDigest").asText()
                    + ", not the " + digest + " shown: the playbook changed in between; check the run before approving it");
            return Exit.FAILED;
        }
        return Exit.OK;
    }

    private Map<String, Object> body() {
        Map<String, Object> values = new LinkedHashMap<>(params);
        jsonParams.forEach((name, json) -> {
            try {
                values.put(name, Api.JSON.readTree(json));
            } catch (JsonProcessingException e) {
                throw new CommandFailed(Exit.USAGE, "--param-json " + name + ": not JSON: " + e.getOriginalMessage());
            }
        });
        return Api.fields("playbook", playbook, "targets", targets.isEmpty() ? null : targets,
                "targetLabels", labels.isEmpty() ? null : labels, "params", values, "ticket", ticket, "onBusy", onBusy);
    }

    private void describe(JsonNode preview, Printer to) {
        to.line("Playbook " + Printer.text(preview, "playbook") + ", digest " + Printer.text(preview, "digest"));
        for (JsonNode target : preview.path("targets")) {
            to.line("  " + Printer.text(target, "name"));
            int n = 1;
            for (JsonNode step : target.path("steps")) {
                to.line(String.format("    %2d. %-28s %s (timeout %s)%s", n++, Printer.text(step, "id"),
                        Printer.text(step, "description"), Printer.text(step, "timeout"),
                        step.hasNonNull("when") ? ", when " + step.get("when").asText() : ""));
                if (scripts) {
                    step.path("script").asText().lines().forEach(line -> to.line("        | " + line));
                }
            }
        }
    }

    private boolean confirmed(String digest, int targets) {
        console.err().print("Request this run of " + playbook + " (digest " + digest + ") on " + targets
                + (targets == 1 ? " target" : " targets") + "? [y/N] ");
        console.err().flush();
        try {
            String answer = console.in().readLine();
            return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
        } catch (IOException e) {
            return false;
        }
    }

    /** With --json, standard output is for the run's JSON alone: the plan shown for confirmation goes to standard error. */
    private Console stderrOnly() {
        return new Console(console.in(), console.err(), console.err(), console.env(), console.secret());
    }
}

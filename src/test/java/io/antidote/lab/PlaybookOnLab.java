package io.antidote.lab;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.powershell.PowerShell;
import io.antidote.lab.powershell.ScriptResult;
import io.antidote.playbook.RunPlanner;
import io.antidote.playbook.StepOutputs;
import io.antidote.playbook.ParamResolver;
import io.antidote.playbook.PatchSources;
import io.antidote.playbook.ParseResult;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookCatalog;
import io.antidote.playbook.PlaybookParser;
import io.antidote.playbook.ScriptRenderer;
import io.antidote.playbook.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a playbook file against a lab server the way the engine does, without the engine: each step's
 * condition evaluated on the outputs earlier steps captured (a false one skips the step), the step rendered
 * with its param block and those outputs, run, checked against its expectation; the first failure stops.
 */
final class PlaybookOnLab {

    /** One step's outcome: the script as sent, what it printed, and the expectation failures. */
    record StepRun(String id, String script, ScriptResult result, List<String> failures) {
        boolean ok() {
            return failures.isEmpty();
        }
    }

    /** The patch sources the service is configured with by default (application.properties). */
    static final PatchSources SOURCES = PatchSources.of(Map.of("local", "C:\\Patches"));

    private final Playbook playbook;

    PlaybookOnLab(String file) throws IOException {
        Path path = Path.of("playbooks", file);
        ParseResult parsed = PlaybookParser.parse(path.toString(), Files.readString(path),
                PlaybookCatalog.readLibrary(Path.of("playbooks", PlaybookCatalog.LIBRARY_DIR)));
        if (!(parsed instanceof ParseResult.Valid valid)) {
            throw new AssertionError("playbook " + file + " does not parse: " + parsed);
        }
        this.playbook = valid.playbook();
    }

    Playbook playbook() {
        return playbook;
    }

    /** The scripts as Antidote sends them, with the default parameters. */
    List<String> renderedScripts() {
        Map<String, Object> resolved = resolve();
        return playbook.steps().stream().map(s -> ScriptRenderer.render(s, resolved, playbook.params())).toList();
    }

    private Map<String, Object> resolve() {
        return resolve(Map.of());
    }

    private Map<String, Object> resolve(Map<String, Object> params) {
        try {
            return ParamResolver.resolve(playbook, params, SOURCES);
        } catch (io.antidote.playbook.InvalidParamsException e) {
            throw new AssertionError("parameters do not resolve: " + e.errors(), e);
        }
    }

    /** Runs with the default parameters; skipped steps are not in the list. */
    List<StepRun> run(ExchangeServer server, Clock clock) {
        return run(server, clock, Map.of());
    }

    List<StepRun> run(ExchangeServer server, Clock clock, Map<String, Object> params) {
        Map<String, Object> resolved = resolve(params);
        Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();
        List<StepRun> runs = new ArrayList<>();
        for (Step step : playbook.steps()) {
            if (step.when() != null && !RunPlanner.when(step.when()).holds(resolved, outputs)) {
                // A skipped step captured nothing: its outputs are $null for later steps.
                Map<String, Object> none = new LinkedHashMap<>();
                step.outputs().keySet().forEach(name -> none.put(name, null));
                outputs.put(step.id(), none);
                continue;
            }
            String script = ScriptRenderer.renderWithOutputs(step, resolved, playbook.params(), outputs);
            ScriptResult r = new PowerShell(server, clock).run(script);
            StepRun run = new StepRun(step.id(), script, r, step.expect().check(r.exitCode(), r.stdout()));
            runs.add(run);
            if (!run.ok()) {
                break;
            }
            outputs.put(step.id(), StepOutputs.capture(step, r.stdout()));
        }
        return runs;
    }
}

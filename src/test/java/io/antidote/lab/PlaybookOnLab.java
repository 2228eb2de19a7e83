package io.antidote.lab;

import io.antidote.lab.exchange.ExchangeServer;
import io.antidote.lab.powershell.PowerShell;
import io.antidote.lab.powershell.ScriptResult;
import io.antidote.playbook.ParamResolver;
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
import java.util.List;
import java.util.Map;

/**
 * Runs a playbook file against a lab server the way the engine does, without the engine: each step
 * rendered with its param block, run, checked against its expectation; the first failure stops.
 */
final class PlaybookOnLab {

    /** One step's outcome: the script as sent, what it printed, and the expectation failures. */
    record StepRun(String id, String script, ScriptResult result, List<String> failures) {
        boolean ok() {
            return failures.isEmpty();
        }
    }

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
        try {
            return ParamResolver.resolve(playbook, Map.of());
        } catch (Exception e) {
            throw new AssertionError("default parameters do not resolve", e);
        }
    }

    List<StepRun> run(ExchangeServer server, Clock clock) {
        Map<String, Object> resolved = resolve();
        List<StepRun> runs = new ArrayList<>();
        for (Step step : playbook.steps()) {
            String script = ScriptRenderer.render(step, resolved, playbook.params());
            ScriptResult r = new PowerShell(server, clock).run(script);
            StepRun run = new StepRun(step.id(), script, r, step.expect().check(r.exitCode(), r.stdout()));
            runs.add(run);
            if (!run.ok()) {
                break;
            }
        }
        return runs;
    }
}

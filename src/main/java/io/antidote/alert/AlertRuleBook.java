package io.antidote.alert;

import io.antidote.playbook.AlertRule;
import io.antidote.playbook.AlertRuleFiles;
import io.antidote.playbook.ParseResult;
import io.antidote.playbook.PlaybookError;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The alert rules in force: read from {@code antidote.alerts.rules-dirs} at start and again whenever a file changes.
 * A file with errors is logged with each error's line and not used; the others are.
 */
@ApplicationScoped
public class AlertRuleBook {

    private static final Logger LOG = Logger.getLogger(AlertRuleBook.class);

    private final AlertsConfig config;
    private volatile AlertRuleFiles.Loaded loaded = AlertRuleFiles.Loaded.NONE;
    private List<String> lastFingerprint = List.of();
    private ScheduledExecutorService reloader;

    AlertRuleBook(AlertsConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        load();
        long millis = config.reloadInterval().toMillis();
        if (millis > 0) {
            // Reading files blocks: a thread of its own, never the event loop.
            reloader = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "alert-rules-reload");
                thread.setDaemon(true);
                return thread;
            });
            reloader.scheduleWithFixedDelay(this::reloadIfChanged, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reloader != null) {
            reloader.shutdownNow();
        }
    }

    /** The valid rules, in the order they are tried. */
    public List<AlertRule> rules() {
        return loaded.rules();
    }

    /** The rule files that are not used, with their errors. */
    public List<ParseResult.Invalid> invalid() {
        return loaded.invalid();
    }

    private void reloadIfChanged() {
        try {
            if (!fingerprint().equals(lastFingerprint)) {
                load();
            }
        } catch (RuntimeException e) {
            LOG.errorf("Could not reload alert rules: %s", e.toString());
        }
    }

    synchronized void load() {
        lastFingerprint = fingerprint();
        AlertRuleFiles.Loaded read = AlertRuleFiles.read(directories());
        read.invalid().forEach(problem -> LOG.errorf("Alert rule file %s is invalid and not used:%n  %s",
                problem.file(), String.join("\n  ", problem.errors().stream().map(PlaybookError::toString).toList())));
        read.rules().forEach(rule -> LOG.infof("Loaded alert rule %s (playbook %s, approval %s, window %s) from %s",
                rule.name(), rule.playbook(), rule.approvalRequired() ? "required" : "none", rule.dedupWindow(),
                rule.file()));
        loaded = read;
    }

    private List<Path> directories() {
        return config.rulesDirs().stream().map(Path::of).toList();
    }

    private List<String> fingerprint() {
        List<String> parts = new ArrayList<>();
        for (Path directory : directories()) {
            for (Path path : AlertRuleFiles.files(directory)) {
                try {
                    parts.add(path + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis());
                } catch (IOException e) {
                    parts.add(path + "|unreadable");
                }
            }
        }
        return parts;
    }
}

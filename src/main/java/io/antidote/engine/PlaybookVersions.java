package io.antidote.engine;

import io.antidote.playbook.ParseResult;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookCatalog;
import io.antidote.playbook.PlaybookBundle;
import io.antidote.store.PlaybookVersionStore;
import io.antidote.workflow.RunPlan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exact playbook a run was requested with, found by its content digest: from the catalog while the
 * file is unchanged, otherwise from the text stored when the run was requested (with the library steps
 * it used). Editing a playbook or a library step never changes a run already requested.
 */
@ApplicationScoped
public class PlaybookVersions {

    private final PlaybookCatalog catalog;
    private final PlaybookVersionStore store;
    private final Map<String, Playbook> byDigest = new ConcurrentHashMap<>();

    PlaybookVersions(PlaybookCatalog catalog, PlaybookVersionStore store) {
        this.catalog = catalog;
        this.store = store;
    }

    /** Keeps the playbook's text so that its runs can find it after the file changes. */
    public Uni<Void> remember(Playbook playbook) {
        byDigest.put(playbook.digest(), playbook);
        return store.save(playbook.digest(), playbook.name(), playbook.versionText());
    }

    public Uni<Playbook> of(RunPlan plan) {
        Playbook known = byDigest.get(plan.digest());
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        var current = catalog.find(plan.playbook()).filter(p -> p.digest().equals(plan.digest()));
        if (current.isPresent()) {
            byDigest.put(plan.digest(), current.get());
            return Uni.createFrom().item(current.get());
        }
        return store.source(plan.digest()).map(source -> {
            String text = source.orElseThrow(() -> new IllegalStateException(
                    "playbook " + plan.playbook() + " version " + plan.digest() + " is not stored"));
            // The stored text holds the library steps the version used, so it parses exactly as it did.
            ParseResult parsed = PlaybookBundle.parse(plan.playbook() + "@" + plan.digest(), text);
            if (!(parsed instanceof ParseResult.Valid valid) || !valid.playbook().digest().equals(plan.digest())) {
                throw new IllegalStateException("stored playbook " + plan.playbook() + " version " + plan.digest()
                        + " no longer parses: " + parsed);
            }
            byDigest.put(plan.digest(), valid.playbook());
            return valid.playbook();
        });
    }
}

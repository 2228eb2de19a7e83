package io.antidote.engine;

import io.antidote.playbook.LastValidVersions;
import io.antidote.playbook.ParseResult;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookBundle;
import io.antidote.store.PlaybookVersionStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog's versions in force, kept in PostgreSQL: a playbook whose file is broken when the service
 * starts stays in force at its last valid version instead of disappearing. The catalog calls this from its
 * start-up and reload threads, which wait for the store's work on a Vert.x context; an event loop never does.
 */
@ApplicationScoped
class StoredPlaybooks implements LastValidVersions {

    /** A database that does not answer in this time costs the fallback, not the start. */
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PlaybookVersionStore versions;
    private final Vertx vertx;

    StoredPlaybooks(PlaybookVersionStore versions, Vertx vertx) {
        this.versions = versions;
        this.vertx = vertx;
    }

    @Override
    public Optional<Playbook> lastValid(String file) {
        notOnEventLoop();
        return VertxContexts.onNewContext(vertx, () -> versions.inForceSource(file)).await().atMost(WAIT).flatMap(text -> {
            // The stored text is a bundle with the library steps the version used: it parses as it did.
            ParseResult parsed = PlaybookBundle.parse(file, text);
            return parsed instanceof ParseResult.Valid valid ? Optional.of(valid.playbook()) : Optional.empty();
        });
    }

    @Override
    public void inForce(Map<String, Playbook> validByFile, Set<String> files) {
        notOnEventLoop();
        List<PlaybookVersionStore.InForce> inForce = validByFile.entrySet().stream()
                .map(e -> new PlaybookVersionStore.InForce(e.getKey(), e.getValue().name(), e.getValue().digest(),
                        e.getValue().versionText()))
                .toList();
        VertxContexts.onNewContext(vertx, () -> versions.recordInForce(inForce, files)).await().atMost(WAIT);
    }

    private static void notOnEventLoop() {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the playbook versions in force are read and written off the event loop");
        }
    }
}

package io.antidote.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which stored playbook version each file of the playbook directory has in force ({@code playbook_in_force}),
 * pointing at the append-only text in {@code playbook_version}: what a restarted catalog falls back to for a
 * file that is broken now.
 */
@ApplicationScoped
public class PlaybooksInForce {

    /** A file's version in force: its path relative to the directory, and the version's name, digest and text. */
    public record Entry(String file, String name, String digest, String source) {
    }

    private final Pool pool;

    PlaybooksInForce(Pool pool) {
        this.pool = pool;
    }

    /** The text of the version last in force for this file, if any. */
    public Uni<Optional<String>> source(String file) {
        return pool.preparedQuery("""
                        select v.source from playbook_in_force f join playbook_version v on v.digest = f.digest
                         where f.file = $1""")
                .execute(Tuple.of(file))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString(0)));
    }

    /**
     * In one transaction: stores each entry's text (if new) and makes it its file's version in force, and
     * forgets the files that are not among {@code files} any more.
     */
    public Uni<Void> record(List<Entry> entries, Set<String> files) {
        return pool.withTransaction(connection -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Entry entry : entries) {
                chain = chain
                        .call(() -> connection.preparedQuery("""
                                        insert into playbook_version (digest, name, source) values ($1, $2, $3)
                                        on conflict (digest) do nothing""")
                                .execute(Tuple.of(entry.digest(), entry.name(), entry.source())))
                        .call(() -> connection.preparedQuery("""
                                        insert into playbook_in_force (file, name, digest) values ($1, $2, $3)
                                        on conflict (file) do update set name = excluded.name, digest = excluded.digest,
                                               updated_at = now()
                                         where playbook_in_force.digest <> excluded.digest""")
                                .execute(Tuple.of(entry.file(), entry.name(), entry.digest())));
            }
            return chain.call(() -> connection.preparedQuery("delete from playbook_in_force where file <> all($1)")
                    .execute(Tuple.of(new ArrayList<>(files).toArray(String[]::new))));
        });
    }
}

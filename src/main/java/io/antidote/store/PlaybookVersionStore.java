package io.antidote.store;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The exact text of every playbook version a run was requested with, by its content digest ({@code
 * playbook_version}, append-only like the events): a run finds its playbook after the file changed. Also
 * which version each playbook file has in force ({@code playbook_in_force}), for a restarted catalog.
 * Through Hibernate Reactive; call on a Vert.x duplicated context, as {@link EventStore}.
 */
@ApplicationScoped
public class PlaybookVersionStore {

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private final Mutiny.SessionFactory sessionFactory;

    public PlaybookVersionStore(Mutiny.SessionFactory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    /**
     * Stores a playbook text by its digest if not already there (idempotent).
     *
     * @throws IllegalArgumentException (as the Uni's failure) if the digest is not 64 lower-case hex
     *     digits
     * @throws IllegalStateException (as the Uni's failure) if the digest is already stored with a
     *     different text: a digest names one text forever
     */
    public Uni<Void> save(String digest, String name, String source) {
        return Uni.createFrom().item(() -> {
                    Objects.requireNonNull(name, "name");
                    Objects.requireNonNull(source, "source");
                    requireDigest(digest);
                    return digest;
                })
                .flatMap(d -> sessionFactory.withTransaction(session -> insert(session, d, name, source)
                        .chain(() -> session
                                .createSelectionQuery("select p.source from PlaybookVersion p where p.digest = :digest", String.class)
                                .setParameter("digest", d)
                                .getSingleResult())))
                .invoke(stored -> {
                    if (!stored.equals(source)) {
                        throw new IllegalStateException("playbook digest " + digest + " is already stored with a different text");
                    }
                })
                .replaceWithVoid();
    }

    /** The playbook text stored under this digest, if any. */
    public Uni<Optional<String>> source(String digest) {
        Objects.requireNonNull(digest, "digest");
        if (!DIGEST.matcher(digest).matches()) {
            return Uni.createFrom().item(Optional.empty());
        }
        return sessionFactory.withTransaction(session -> session
                .createSelectionQuery("select p.source from PlaybookVersion p where p.digest = :digest", String.class)
                .setParameter("digest", digest)
                .getSingleResultOrNull())
                .map(Optional::ofNullable);
    }

    /** A file's version in force: its path relative to the playbook directory, and the version's name, digest and text. */
    public record InForce(String file, String name, String digest, String source) {
    }

    /**
     * The text of the version last in force for this file of the playbook directory ({@code playbook_in_force}),
     * what a restarted catalog falls back to while the file is broken.
     */
    public Uni<Optional<String>> inForceSource(String file) {
        Objects.requireNonNull(file, "file");
        return sessionFactory.withTransaction(session -> session
                        .createNativeQuery("""
                                select v.source from playbook_in_force f join playbook_version v on v.digest = f.digest
                                 where f.file = :file""", String.class)
                        .setParameter("file", file)
                        .getSingleResultOrNull())
                .map(Optional::ofNullable);
    }

    /**
     * In one transaction: stores each version's text (if new) and makes it its file's version in force, and
     * forgets the files that are not among {@code files} any more.
     */
    public Uni<Void> recordInForce(List<InForce> versions, Set<String> files) {
        return sessionFactory.withTransaction(session -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (InForce version : versions) {
                requireDigest(version.digest());
                chain = chain
                        .call(() -> insert(session, version.digest(), version.name(), version.source()))
                        .call(() -> session.createNativeQuery("""
                                        insert into playbook_in_force (file, name, digest) values (:file, :name, :digest)
                                        on conflict (file) do update set name = excluded.name, digest = excluded.digest,
                                               updated_at = now()
                                         where playbook_in_force.digest <> excluded.digest""")
                                .setParameter("file", version.file())
                                .setParameter("name", version.name())
                                .setParameter("digest", version.digest())
                                .executeUpdate());
            }
            return chain.call(() -> files.isEmpty()
                    ? session.createNativeQuery("delete from playbook_in_force").executeUpdate()
                    : session.createNativeQuery("delete from playbook_in_force where file not in (:files)")
                            .setParameter("files", List.copyOf(files))
                            .executeUpdate());
        });
    }

    private static Uni<Integer> insert(Mutiny.Session session, String digest, String name, String source) {
        return session.createNativeQuery("""
                        insert into playbook_version (digest, name, source) values (:digest, :name, :source)
                        on conflict (digest) do nothing""")
                .setParameter("digest", digest)
                .setParameter("name", name)
                .setParameter("source", source)
                .executeUpdate();
    }

    private static void requireDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("a playbook digest is 64 lower-case hex digits (SHA-256)");
        }
    }
}

package io.antidote.store;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The exact text of every playbook version a run was requested with, by its content digest ({@code
 * playbook_version}, append-only like the events): a run finds its playbook after the file changed.
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
                .flatMap(d -> sessionFactory.withTransaction(session -> session
                        .createNativeQuery("""
                                insert into playbook_version (digest, name, source) values (:digest, :name, :source)
                                on conflict (digest) do nothing""")
                        .setParameter("digest", d)
                        .setParameter("name", name)
                        .setParameter("source", source)
                        .executeUpdate()
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

    private static void requireDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("a playbook digest is 64 lower-case hex digits (SHA-256)");
        }
    }
}

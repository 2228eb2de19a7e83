package io.antidote.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The only writer of {@code run_event}: one append-only, gap-free, hash-chained stream per run,
 * appended with an expected version so that concurrent writers (threads or replicas) race safely.
 *
 * <h2>How to call it</h2>
 *
 * <ul>
 *   <li>Every method returns a lazy {@link Uni}; nothing happens until it is subscribed, and it must
 *       be subscribed on a safe Vert.x <em>duplicated</em> context, which Hibernate Reactive needs
 *       to hold its session. REST endpoints returning {@code Uni}, {@code Uni}-returning
 *       {@code @Incoming} methods and Vert.x timers already run on one.
 *   <li>From any other thread (a worker running a WinRM step, startup code, a test) use {@code
 *       io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> store.append(...))}, which
 *       creates such a context and blocks that thread, never the event loop.
 *   <li>Each method runs its own transaction ({@link Mutiny.SessionFactory#withTransaction}). If a
 *       Hibernate Reactive session (and transaction) is already open on the current context, it is
 *       joined: the append then commits or rolls back with the caller's transaction.
 *   <li>Never subscribe two store {@code Uni}s concurrently on one Vert.x context (for example with
 *       {@code Uni.combine()} or {@code merge}): they would share one session, which Hibernate
 *       Reactive forbids (HR000069). Chain them one after the other instead.
 *   <li>On {@link ConcurrencyConflictException}, nothing of the batch was written: reload the run,
 *       decide again and append after the version just loaded, in a new transaction (a session
 *       that saw a failed statement must be discarded).
 * </ul>
 *
 * <p>The database enforces the same rules as this class (see {@code V1__event_store.sql}): it
 * refuses updates, deletes and truncation, and any insert that does not continue its stream's
 * chain. The hashes themselves are computed here, by {@link EventHash}.
 */
@ApplicationScoped
public class EventStore {

    /** Jackson refuses strings over 20 M characters when reading back; stay well below. */
    static final int MAX_DATA_CHARS = 4 * 1024 * 1024;

    private static final String STREAM_SEQ_KEY = "run_event_stream_seq_key";
    private static final String SQLSTATE_UNIQUE_VIOLATION = "23505";
    private static final String SQLSTATE_CHAIN_BROKEN = "AN002";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private final Mutiny.SessionFactory sessionFactory;
    private final ObjectMapper objectMapper;

    @Inject
    public EventStore(Mutiny.SessionFactory sessionFactory, ObjectMapper objectMapper) {
        this.sessionFactory = sessionFactory;
        this.objectMapper = objectMapper;
    }

    /** The run's events in seq order (empty list if none). */
    public Uni<List<StoredEvent>> load(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        return sessionFactory.withTransaction(session -> session
                .createSelectionQuery("from RunEvent e where e.runId = :runId order by e.seq", RunEventRow.class)
                .setParameter("runId", runId)
                .getResultList())
                .map(rows -> rows.stream().map(this::toStored).toList());
    }

    /**
     * Appends in one transaction after expectedVersion (0 for a new stream): seq
     * expectedVersion+1.., chained to the stored hash of seq expectedVersion. Fails with
     * ConcurrencyConflictException when another writer got there first (unique violation on
     * (run_id, seq), or the stream's last seq != expectedVersion). Returns the stored events.
     *
     * <p>An empty batch writes nothing and returns an empty list. An event that cannot be hashed
     * (see {@link EventHash}) or whose data exceeds {@value #MAX_DATA_CHARS} characters fails the
     * whole batch with IllegalArgumentException before the database is touched. An event id that
     * is already recorded fails with the database's unique-violation error, not with a conflict:
     * it is the same event, not a stale decision.
     */
    public Uni<List<StoredEvent>> append(UUID runId, long expectedVersion, List<NewEvent> events) {
        return append(runId, expectedVersion, events, Projector.NONE);
    }

    /**
     * As {@link #append(UUID, long, List)}, and lets {@code projector} update read models in the same
     * transaction, after the events are inserted: the projections commit with the events or not at
     * all, so a read model is never ahead of (or behind) the history it is derived from.
     */
    public Uni<List<StoredEvent>> append(UUID runId, long expectedVersion, List<NewEvent> events,
                                         Projector projector) {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(projector, "projector");
        return Uni.createFrom().item(() -> prepare(runId, expectedVersion, events))
                .flatMap(batch -> batch.isEmpty()
                        ? Uni.createFrom().item(List.<StoredEvent>of())
                        : sessionFactory.withTransaction(session -> insert(session, runId, expectedVersion, batch)
                                .call(stored -> projector.project(session, stored))))
                .onFailure(failure -> !(failure instanceof ConcurrencyConflictException) && isConflict(failure))
                .transform(failure -> new ConcurrencyConflictException(runId, expectedVersion, failure));
    }

    /** Ids of runs whose stream has no event of the given terminal types, oldest run first. */
    public Uni<List<UUID>> runsWithout(Set<String> terminalTypes) {
        Objects.requireNonNull(terminalTypes, "terminalTypes");
        if (terminalTypes.isEmpty()) {
            return sessionFactory.withTransaction(session -> session
                    .createSelectionQuery("select e.runId from RunEvent e where e.seq = 1 order by e.position", UUID.class)
                    .getResultList());
        }
        List<String> types = List.copyOf(terminalTypes);
        return sessionFactory.withTransaction(session -> session
                .createSelectionQuery("""
                        select e.runId from RunEvent e
                        where e.seq = 1
                          and not exists (select 1 from RunEvent t where t.runId = e.runId and t.type in :types)
                        order by e.position""", UUID.class)
                .setParameter("types", types)
                .getResultList());
    }

    /**
     * Targets that runs other than {@code exceptRun} hold now: started there (a {@code startedType} event)
     * and not yet ended (no event of {@code endedTypes} for that target in that run). One run per target
     * is a workflow decision; this is what it is decided on.
     */
    public Uni<Set<String>> targetsHeld(UUID exceptRun, String startedType, Set<String> endedTypes) {
        Objects.requireNonNull(endedTypes, "endedTypes");
        return sessionFactory.withTransaction(session -> session
                .createSelectionQuery("""
                        select distinct s.target from RunEvent s
                        where s.type = :started and s.runId <> :run
                          and not exists (select 1 from RunEvent e where e.runId = s.runId and e.target = s.target
                                          and e.type in :ended)""", String.class)
                .setParameter("started", startedType)
                .setParameter("run", exceptRun)
                .setParameter("ended", List.copyOf(endedTypes))
                .getResultList())
                .map(Set::copyOf);
    }

    /**
     * Stores a playbook text by its digest if not already there (idempotent).
     *
     * @throws IllegalArgumentException (as the Uni's failure) if the digest is not 64 lower-case hex
     *     digits
     * @throws IllegalStateException (as the Uni's failure) if the digest is already stored with a
     *     different text: a digest names one text forever
     */
    public Uni<Void> savePlaybookVersion(String digest, String name, String source) {
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
    public Uni<Optional<String>> playbookSource(String digest) {
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

    /** An event ready to insert once the hash it follows is known. */
    private record Pending(long seq, NewEvent event, String canonicalJson, String dataJson) {}

    private static List<Pending> prepare(UUID runId, long expectedVersion, List<NewEvent> events) {
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion is 0 for a new stream, never negative: " + expectedVersion);
        }
        List<Pending> batch = new ArrayList<>(events.size());
        long seq = expectedVersion;
        for (NewEvent event : events) {
            Objects.requireNonNull(event, "events must not contain null");
            seq++;
            String dataJson = CanonicalJson.write(event.data());
            if (dataJson.length() > MAX_DATA_CHARS) {
                throw new IllegalArgumentException("event " + event.eventId() + " carries " + dataJson.length()
                        + " characters of data, more than the " + MAX_DATA_CHARS + " an event may hold");
            }
            batch.add(new Pending(seq, event, EventHash.canonicalJson(runId, seq, event), dataJson));
        }
        return batch;
    }

    private Uni<List<StoredEvent>> insert(Mutiny.Session session, UUID runId, long expectedVersion, List<Pending> batch) {
        return session
                .createSelectionQuery("from RunEvent e where e.runId = :runId order by e.seq desc", RunEventRow.class)
                .setParameter("runId", runId)
                .setMaxResults(1)
                .getSingleResultOrNull()
                .chain(last -> {
                    long version = last == null ? 0 : last.seq;
                    if (version != expectedVersion) {
                        return Uni.createFrom().failure(new ConcurrencyConflictException(runId, expectedVersion, version));
                    }
                    String prevHash = last == null ? EventHash.GENESIS : last.hash;
                    List<RunEventRow> rows = new ArrayList<>(batch.size());
                    for (Pending pending : batch) {
                        RunEventRow row = toRow(runId, pending, prevHash);
                        rows.add(row);
                        prevHash = row.hash;
                    }
                    // One insert after the other, in seq order: the chain trigger checks each row
                    // against the one before it, and a session must not run statements concurrently.
                    Uni<Void> inserts = Uni.createFrom().voidItem();
                    for (RunEventRow row : rows) {
                        inserts = inserts.chain(() -> session.persist(row));
                    }
                    return inserts.chain(session::flush).map(done -> {
                        List<StoredEvent> stored = new ArrayList<>(rows.size());
                        for (int i = 0; i < rows.size(); i++) {
                            stored.add(toStored(rows.get(i), batch.get(i).event().data().deepCopy()));
                        }
                        return List.copyOf(stored);
                    });
                });
    }

    private static RunEventRow toRow(UUID runId, Pending pending, String prevHash) {
        NewEvent event = pending.event();
        RunEventRow row = new RunEventRow();
        row.eventId = event.eventId();
        row.runId = runId;
        row.seq = pending.seq();
        row.type = event.type();
        row.occurredAt = event.occurredAt();
        row.actor = event.actor();
        row.target = event.target();
        row.step = event.step();
        row.attempt = event.attempt();
        row.data = pending.dataJson();
        row.prevHash = prevHash;
        row.hash = EventHash.hash(prevHash, pending.canonicalJson());
        return row;
    }

    private StoredEvent toStored(RunEventRow row) {
        return toStored(row, parseData(row));
    }

    private static StoredEvent toStored(RunEventRow row, ObjectNode data) {
        return new StoredEvent(row.position, row.eventId, row.runId, row.seq, row.type, row.occurredAt, row.actor,
                row.target, row.step, row.attempt, data, row.prevHash, row.hash);
    }

    private ObjectNode parseData(RunEventRow row) {
        try {
            JsonNode node = objectMapper.readTree(row.data);
            if (node instanceof ObjectNode object) {
                return object;
            }
            throw new IllegalStateException("run " + row.runId + " seq " + row.seq + " holds data that is not a JSON object");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("run " + row.runId + " seq " + row.seq + " holds data that is not readable JSON", e);
        }
    }

    private static void requireDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("a playbook digest is 64 lower-case hex digits (SHA-256)");
        }
    }

    /**
     * Whether the database refused the append because the stream moved on: a second writer took
     * the same seq (unique key on (run_id, seq)), or the row to chain to is not there (chain trigger).
     */
    static boolean isConflict(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            String state = sqlState(t);
            if (SQLSTATE_CHAIN_BROKEN.equals(state)) {
                return true;
            }
            if (SQLSTATE_UNIQUE_VIOLATION.equals(state) && names(t, STREAM_SEQ_KEY)) {
                return true;
            }
        }
        return false;
    }

    private static String sqlState(Throwable t) {
        if (t instanceof DatabaseException database) {
            return database.getSqlState();
        }
        if (t instanceof JDBCException jdbc) {
            return jdbc.getSQLState();
        }
        if (t instanceof SQLException sql) {
            return sql.getSQLState();
        }
        return null;
    }

    private static boolean names(Throwable t, String constraint) {
        if (t instanceof PgException pg && pg.getConstraint() != null) {
            return constraint.equals(pg.getConstraint());
        }
        if (t instanceof ConstraintViolationException violation && violation.getConstraintName() != null) {
            return constraint.equalsIgnoreCase(violation.getConstraintName());
        }
        return t.getMessage() != null && t.getMessage().contains(constraint);
    }
}

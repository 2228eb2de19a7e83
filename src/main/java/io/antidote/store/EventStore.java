package io.antidote.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.antidote.workflow.RunEvent;
import io.antidote.workflow.RunEventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 *   <li>Each method runs its own transaction. Reads go through Hibernate Reactive ({@link
 *       Mutiny.SessionFactory#withTransaction}, joining a session already open on the context). An
 *       append does not: it is the hot path, one statement on the reactive PostgreSQL pool (see
 *       {@link #append(UUID, long, List, Projector)}), in a transaction of its own together with
 *       its projector, never joined to a caller's session.
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

    /** Tips remembered at most; more are runs long finished, and forgetting them is harmless. */
    private static final int MAX_TIPS = 100_000;

    private final Mutiny.SessionFactory sessionFactory;
    private final Pool pool;
    private final ObjectMapper objectMapper;
    private final Map<UUID, Tip> tips = new ConcurrentHashMap<>();

    @Inject
    public EventStore(Mutiny.SessionFactory sessionFactory, Pool pool, ObjectMapper objectMapper) {
        this.sessionFactory = sessionFactory;
        this.pool = pool;
        this.objectMapper = objectMapper;
    }

    /** The run's events in seq order (empty list if none). */
    public Uni<List<StoredEvent>> load(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        return sessionFactory.withTransaction(session -> session
                .createSelectionQuery("from RunEvent e where e.runId = :runId order by e.seq", RunEventRow.class)
                .setParameter("runId", runId)
                .getResultList())
                .map(rows -> rows.stream().map(this::toStored).toList())
                .invoke(stored -> remember(runId, stored));
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
                        : pool.withConnection(connection -> hashToFollow(connection, runId, expectedVersion)
                                .chain(first -> projector == Projector.NONE
                                        // One statement is atomic by itself: no BEGIN and COMMIT round trips.
                                        ? insert(connection, runId, expectedVersion, batch, first)
                                        : pipelinedTransaction(connection,
                                                insert(connection, runId, expectedVersion, batch, first),
                                                projector.project(connection)))))
                .invoke(stored -> remember(runId, stored))
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
     * For {@link #runsWaitingFor}, from the workflow's one list of event names: the event a run records
     * when it waits for a target, and those after which it no longer waits (it started or ended it).
     */
    private static final String WAITING = RunEventTypes.nameOf(RunEvent.TargetWaiting.class);
    private static final String[] WAITING_OVER = Stream.concat(
                    Stream.of(RunEventTypes.nameOf(RunEvent.TargetStarted.class)), RunEventTypes.ENDING_TARGET.stream())
            .toArray(String[]::new);

    /**
     * Runs that recorded waiting for one of these targets (a {@code TargetWaiting} event) and have not
     * started, finished, skipped or cancelled it since: the ones to wake when the target is let go.
     */
    public Uni<List<UUID>> runsWaitingFor(Set<String> targets) {
        Objects.requireNonNull(targets, "targets");
        if (targets.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("""
                        select distinct w.run_id from run_event w
                         where w.type = $2 and w.target = any($1)
                           and not exists (select 1 from run_event e
                                            where e.run_id = w.run_id and e.target = w.target
                                              and e.type = any($3))""")
                .execute(Tuple.of(targets.toArray(String[]::new), WAITING, WAITING_OVER))
                .map(rows -> {
                    List<UUID> runs = new ArrayList<>();
                    rows.forEach(row -> runs.add(row.getUUID(0)));
                    return List.copyOf(runs);
                });
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

    /**
     * The hash of seq {@code expectedVersion}, which the first new event chains to: from the tip this
     * store last wrote or read for the run, otherwise from the database (one extra round trip). A
     * remembered tip is never wrong in what it says, because a stored event never changes; it may
     * only be behind the stream, and then it is not used.
     */
    private Uni<String> hashToFollow(SqlConnection connection, UUID runId, long expectedVersion) {
        if (expectedVersion == 0) {
            return Uni.createFrom().item(EventHash.GENESIS);
        }
        Tip tip = tips.get(runId);
        if (tip != null && tip.seq() == expectedVersion) {
            return Uni.createFrom().item(tip.hash());
        }
        return connection.preparedQuery("select hash from run_event where run_id = $1 and seq = $2")
                .execute(Tuple.of(runId, expectedVersion))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new ConcurrencyConflictException(runId, expectedVersion,
                                new IllegalStateException("the run has no seq " + expectedVersion));
                    }
                    return rows.iterator().next().getString(0);
                });
    }

    /**
     * One statement inserts the whole batch, and it is the expected-version check too: seq {@code
     * expectedVersion + 1} is taken if the stream moved on (unique key on (run_id, seq)), and the chain
     * trigger refuses it if seq {@code expectedVersion} is missing or has another hash; either way the
     * statement, and so the whole batch, fails. Rows go in in seq order (a row trigger sees the rows its
     * statement inserted before), so positions follow seqs.
     */
    private static Uni<List<StoredEvent>> insert(SqlConnection connection, UUID runId, long expectedVersion,
                                                 List<Pending> batch, String first) {
        return Uni.createFrom().deferred(() -> {
            int n = batch.size();
            UUID[] ids = new UUID[n];
            Long[] seqs = new Long[n];
            String[] types = new String[n];
            OffsetDateTime[] times = new OffsetDateTime[n];
            String[] actors = new String[n];
            String[] targets = new String[n];
            String[] steps = new String[n];
            Integer[] attempts = new Integer[n];
            String[] data = new String[n];
            String[] prevHashes = new String[n];
            String[] hashes = new String[n];
            String prevHash = first;
            for (int i = 0; i < n; i++) {
                Pending pending = batch.get(i);
                NewEvent event = pending.event();
                ids[i] = event.eventId();
                seqs[i] = pending.seq();
                types[i] = event.type();
                times[i] = event.occurredAt().atOffset(ZoneOffset.UTC);
                actors[i] = event.actor();
                targets[i] = event.target();
                steps[i] = event.step();
                attempts[i] = event.attempt();
                data[i] = pending.dataJson();
                prevHashes[i] = prevHash;
                hashes[i] = EventHash.hash(prevHash, pending.canonicalJson());
                prevHash = hashes[i];
            }
            Tuple params = Tuple.tuple(List.of(runId, ids, seqs, types, times, actors, targets, steps, attempts,
                    data, prevHashes, hashes));
            return connection.preparedQuery(INSERT).execute(params).map(rows -> {
                long[] positions = new long[n];
                for (Row row : rows) {
                    positions[(int) (row.getLong("seq") - expectedVersion - 1)] = row.getLong("position");
                }
                List<StoredEvent> stored = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    NewEvent event = batch.get(i).event();
                    stored.add(new StoredEvent(positions[i], event.eventId(), runId, seqs[i], event.type(),
                            event.occurredAt(), event.actor(), event.target(), event.step(), event.attempt(),
                            event.data().deepCopy(), prevHashes[i], hashes[i]));
                }
                return List.copyOf(stored);
            });
        });
    }

    /**
     * {@code work} and {@code after} in one transaction, sent one behind the other without waiting:
     * BEGIN, the insert and the projector's first statement share a round trip; COMMIT goes only once
     * every one of them succeeded, ROLLBACK otherwise (a statement after a failed one fails too, as
     * the transaction is aborted; the first failure is the one reported). Vert.x's own transaction API
     * would wait for BEGIN, and for each statement, before sending the next.
     */
    private static <T> Uni<T> pipelinedTransaction(SqlConnection connection, Uni<T> work, Uni<Void> after) {
        AtomicReference<T> result = new AtomicReference<>();
        return Uni.combine().all()
                .unis(failureOf(connection.query("begin").execute()), failureOf(work.invoke(result::set)),
                        failureOf(after))
                .with(outcomes -> outcomes.stream().map(o -> (Optional<?>) o).filter(Optional::isPresent)
                        .map(o -> (Throwable) o.get()).findFirst())
                .chain(failure -> failure.isPresent()
                        ? connection.query("rollback").execute().onFailure().recoverWithNull()
                                .chain(() -> Uni.createFrom().<T>failure(failure.get()))
                        : connection.query("commit").execute().map(committed -> result.get()));
    }

    private static Uni<Optional<Throwable>> failureOf(Uni<?> statement) {
        return statement.onItemOrFailure().transform((item, failure) -> Optional.ofNullable(failure));
    }

    private static final String INSERT = """
            insert into run_event (event_id, run_id, seq, type, occurred_at, actor, target, step, attempt, data,
                                   prev_hash, hash)
            select e.event_id, $1, e.seq, e.type, e.occurred_at, e.actor, e.target, e.step, e.attempt,
                   cast(e.data as jsonb), e.prev_hash, e.hash
              from unnest($2::uuid[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
                          $8::text[], $9::int[], $10::text[], $11::text[], $12::text[])
                   as e(event_id, seq, type, occurred_at, actor, target, step, attempt, data, prev_hash, hash)
             order by e.seq
            returning position, seq""";

    /** Remembers the newest event of a run this store saw, so that the next append chains to it at once. */
    private void remember(UUID runId, List<StoredEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        StoredEvent last = events.get(events.size() - 1);
        if (tips.size() >= MAX_TIPS && !tips.containsKey(runId)) {
            // Mostly finished runs, never appended to again; forgetting a live one costs it one lookup.
            tips.clear();
        }
        tips.merge(runId, new Tip(last.seq(), last.hash()), (old, now) -> now.seq() >= old.seq() ? now : old);
    }

    /** The last seq of a run and its hash, as this store last saw them. */
    private record Tip(long seq, String hash) {}

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

package io.antidote.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
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
import java.util.UUID;

/**
 * The system of record: the only writer of {@code run_event} (see {@code docs/event-store.md}). Streams
 * are read and written on the reactive PostgreSQL pool, each method in a transaction of its own: an
 * append is one statement (see {@link #append(UUID, long, List, Projector)}), together with its
 * projector's writes when there is one, never joined to a caller's session.
 *
 * <p>The database enforces the same rules as this class (see {@code V1__event_store.sql}): it
 * refuses updates, deletes and truncation, and any insert that does not continue its stream's
 * chain. The hashes themselves are computed here, by {@link EventHash}.
 */
@ApplicationScoped
public class PostgresEventStore implements EventStore {

    private static final String STREAM_SEQ_KEY = "run_event_stream_seq_key";
    private static final String SQLSTATE_UNIQUE_VIOLATION = "23505";
    private static final String SQLSTATE_CHAIN_BROKEN = "AN002";
    private static final String SQLSTATE_STALE_OWNER = "AN003";

    /** Tips remembered at most; more are runs long finished, and forgetting them is harmless. */
    private static final int MAX_TIPS = 100_000;

    private final Pool pool;
    private final ObjectMapper objectMapper;
    private final RunSummaries runList;
    private final TargetLeases leases;
    private final IdempotencyKeys idempotencyKeys;
    private final ChainAlarms alarms;
    private final RunOwners owners;
    private final Event<AppendedHead> appended;
    private final Map<UUID, Tip> tips = new ConcurrentHashMap<>();

    @Inject
    public PostgresEventStore(Pool pool, ObjectMapper objectMapper, RunSummaries runList, TargetLeases leases,
                              IdempotencyKeys idempotencyKeys, ChainAlarms alarms, RunOwners owners,
                              Event<AppendedHead> appended) {
        this.idempotencyKeys = idempotencyKeys;
        this.alarms = alarms;
        this.owners = owners;
        this.appended = appended;
        this.pool = pool;
        this.objectMapper = objectMapper;
        this.runList = runList;
        this.leases = leases;
    }

    /**
     * The run's events in seq order. The chain is recomputed and held against the run's checkpoints on
     * every load: a run that fails is reported to {@link ChainAlarms}, and its head is not remembered,
     * so that the next append verifies the stream again and refuses it (see {@link #hashToFollow}).
     */
    @Override
    public Uni<List<StoredEvent>> load(UUID runId) {
        Objects.requireNonNull(runId, "runId");
        return verifiedLoad(pool, runId).map(loaded -> {
            if (loaded.check().verified()) {
                remember(runId, loaded.events());
            } else {
                tips.remove(runId);
            }
            return loaded.events();
        });
    }

    /** The run's events and their check against the chain and the checkpoints; failures go to the alarms. */
    Uni<Loaded> verifiedLoad(SqlClient client, UUID runId) {
        return client.preparedQuery("select " + EventRows.COLUMNS + " from run_event where run_id = $1 order by seq")
                .execute(Tuple.of(runId))
                .map(this::toStored)
                .chain(events -> Checkpoints.forRun(client, runId).map(heads -> {
                    ChainCheck check = HashChain.check(runId, events, heads);
                    if (!events.isEmpty() || !heads.isEmpty()) {
                        alarms.observe(check);
                    }
                    return new Loaded(events, check);
                }));
    }

    record Loaded(List<StoredEvent> events, ChainCheck check) {}

    /** Recomputes the run's chain from its stored rows and holds it against its checkpoints (alarms told). */
    public Uni<ChainCheck> verify(UUID runId) {
        return verifiedLoad(pool, runId).map(Loaded::check);
    }

    /**
     * At most {@code limit} of the run's events after seq {@code afterSeq}, in seq order: a stream read
     * page by page (exports), so that a long run is never held in memory whole.
     */
    public Uni<List<StoredEvent>> page(UUID runId, long afterSeq, int limit) {
        return pool.preparedQuery("select " + EventRows.COLUMNS
                        + " from run_event where run_id = $1 and seq > $2 order by seq limit $3")
                .execute(Tuple.of(runId, afterSeq, limit))
                .map(this::toStored);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Every row carries the fencing token under which this replica owns the run ({@link RunOwners}); the
     * database refuses the whole append if it is not the run's current one ({@link StaleOwnerException}). A
     * new run this replica asked to own is claimed in the same transaction as its first events.
     */
    @Override
    public Uni<List<StoredEvent>> append(UUID runId, long expectedVersion, List<NewEvent> events,
                                         Projector projector) {
        boolean claim = owners.claimsWithFirstAppend(runId, expectedVersion);
        Long token = claim ? Long.valueOf(1) : owners.tokenFor(runId);
        return AppendBatch.of(runId, expectedVersion, events, projector)
                .flatMap(batch -> batch.isEmpty()
                        ? Uni.createFrom().item(List.<StoredEvent>of())
                        : pool.withConnection(connection -> hashToFollow(connection, runId, expectedVersion)
                                .chain(first -> projector == Projector.NONE && !claim
                                        // One statement is atomic by itself: no BEGIN and COMMIT round trips.
                                        ? insert(connection, runId, expectedVersion, batch, first, token)
                                        : pipelinedTransaction(connection,
                                                claim ? owners.claim(connection, runId) : Uni.createFrom().voidItem(),
                                                insert(connection, runId, expectedVersion, batch, first, token),
                                                projector.project(new OnConnection(connection))))))
                .invoke(stored -> {
                    if (claim) {
                        owners.claimed(runId);
                    }
                    remember(runId, stored);
                    announce(runId, stored);
                })
                .onFailure(PostgresEventStore::isStaleOwner)
                .transform(failure -> new StaleOwnerException(runId, rootMessage(failure)))
                .onFailure(failure -> !(failure instanceof ConcurrencyConflictException)
                        && !(failure instanceof StaleOwnerException) && isConflict(failure))
                .transform(failure -> new ConcurrencyConflictException(runId, expectedVersion, failure));
    }

    /** The database's own words, without the driver's wrapping. */
    private static Throwable rootMessage(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; depth < 20 && t.getCause() != null && sqlState(t) == null; depth++) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * The hash of seq {@code expectedVersion}, which the first new event chains to: from the tip this
     * store last wrote or read (and verified) for the run, otherwise from the database, where the whole
     * stream is read and verified against its checkpoints first. An append therefore always continues
     * a verified head: a truncated or rewritten stream is refused with {@link ChainBrokenException},
     * never extended. A remembered tip is never wrong in what it says, because a stored event never
     * changes, and the chain trigger checks it against the row again at insert; a tip that is behind
     * the stream is not used.
     */
    private Uni<String> hashToFollow(SqlConnection connection, UUID runId, long expectedVersion) {
        if (expectedVersion == 0) {
            return Uni.createFrom().item(EventHash.GENESIS);
        }
        Tip tip = tips.get(runId);
        if (tip != null && tip.seq() == expectedVersion) {
            return Uni.createFrom().item(tip.hash());
        }
        return verifiedLoad(connection, runId).map(loaded -> {
            if (!loaded.check().verified()) {
                tips.remove(runId);
                throw new ChainBrokenException(loaded.check());
            }
            List<StoredEvent> events = loaded.events();
            if (events.size() < expectedVersion) {
                throw new ConcurrencyConflictException(runId, expectedVersion,
                        new IllegalStateException("the run has no seq " + expectedVersion));
            }
            return events.get((int) expectedVersion - 1).hash();
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
                                                 List<AppendBatch.Pending> batch, String first, Long token) {
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
                AppendBatch.Pending pending = batch.get(i);
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
            List<Object> values = new ArrayList<>(List.of(runId, ids, seqs, types, times, actors, targets, steps,
                    attempts, data, prevHashes, hashes));
            values.add(token); // null for a run no replica claimed: List.of refuses nulls
            Tuple params = Tuple.tuple(values);
            return connection.preparedQuery(INSERT).execute(params).map(rows -> {
                long[] positions = new long[n];
                for (Row row : rows) {
                    positions[(int) (row.getLong("seq") - expectedVersion - 1)] = row.getLong("position");
                }
                List<StoredEvent> stored = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    stored.add(batch.get(i).stored(positions[i], runId, prevHashes[i], hashes[i]));
                }
                return List.copyOf(stored);
            });
        });
    }

    /**
     * {@code before} (a new run's claim), {@code work} and {@code after} in one transaction, sent one behind
     * the other without waiting: BEGIN, the claim, the insert and the projector's first statement share a
     * round trip; COMMIT goes only once
     * every one of them succeeded, ROLLBACK otherwise (a statement after a failed one fails too, as
     * the transaction is aborted; the first failure is the one reported). Vert.x's own transaction API
     * would wait for BEGIN, and for each statement, before sending the next.
     */
    private static <T> Uni<T> pipelinedTransaction(SqlConnection connection, Uni<Void> before, Uni<T> work,
                                                   Uni<Void> after) {
        AtomicReference<T> result = new AtomicReference<>();
        return Uni.combine().all()
                .unis(failureOf(connection.query("begin").execute()), failureOf(before),
                        failureOf(work.invoke(result::set)), failureOf(after))
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
                                   prev_hash, hash, owner_token)
            select e.event_id, $1, e.seq, e.type, e.occurred_at, e.actor, e.target, e.step, e.attempt,
                   cast(e.data as jsonb), e.prev_hash, e.hash, $13::bigint
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

    private void announce(UUID runId, List<StoredEvent> stored) {
        if (stored.isEmpty()) {
            return;
        }
        StoredEvent last = stored.get(stored.size() - 1);
        appended.fire(new AppendedHead(runId, last.seq(), last.hash(),
                stored.stream().map(StoredEvent::type).collect(java.util.stream.Collectors.toUnmodifiableSet())));
    }

    /** The last seq of a run and its hash, as this store last saw them. */
    private record Tip(long seq, String hash) {}

    private List<StoredEvent> toStored(RowSet<Row> rows) {
        List<StoredEvent> stored = new ArrayList<>(rows.size());
        rows.forEach(row -> stored.add(EventRows.toStored(row, objectMapper)));
        return List.copyOf(stored);
    }

    /** The read models as the append's connection writes them, in its transaction. */
    private final class OnConnection implements ReadModels {

        private final SqlConnection connection;

        OnConnection(SqlConnection connection) {
            this.connection = connection;
        }

        @Override
        public Uni<Void> upsert(RunSummary summary) {
            return runList.upsert(connection, summary);
        }

        @Override
        public Uni<Void> foldServers(UUID runId, long afterSeq) {
            return ServerHistory.fold(connection, runId, afterSeq);
        }

        @Override
        public Uni<Void> take(UUID runId, String target) {
            return leases.take(connection, runId, target);
        }

        @Override
        public Uni<Void> takeGroup(UUID runId, String target, String group) {
            return leases.takeGroup(connection, runId, target, group);
        }

        @Override
        public Uni<Void> release(UUID runId, String target) {
            return leases.release(connection, runId, target);
        }

        @Override
        public Uni<Void> keepGroup(UUID runId, String target, String step) {
            return leases.keepGroup(connection, runId, target, step);
        }

        @Override
        public Uni<Void> releaseKept(UUID runId, String target) {
            return leases.releaseKept(connection, runId, target);
        }

        @Override
        public Uni<Void> releaseAll(UUID runId) {
            return leases.releaseAll(connection, runId);
        }

        @Override
        public Uni<Void> claim(IdempotencyClaim claim) {
            return idempotencyKeys.claim(connection, claim);
        }

        @Override
        public Uni<Void> recordAlert(AlertRecord alert) {
            return Alerts.insert(connection, alert);
        }

        @Override
        public Uni<Void> consumeCommand(UUID commandId, String decidedBy) {
            return RunCommandInbox.consume(connection, commandId, decidedBy);
        }
    }

    /** Whether the database refused the append's fencing token (trigger {@code run_event_owner_fence}). */
    static boolean isStaleOwner(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (SQLSTATE_STALE_OWNER.equals(sqlState(t))) {
                return true;
            }
        }
        return false;
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

    /** The unique index that lets a run be retried once (V16): the name its refusal carries. */
    private static final String ONE_RETRY_KEY = "run_event_one_retry_per_run";

    /** Whether the database refused the append because the run it retries was retried already (V16). */
    public static boolean isSecondRetry(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (SQLSTATE_UNIQUE_VIOLATION.equals(sqlState(t)) && names(t, ONE_RETRY_KEY)) {
                return true;
            }
        }
        return false;
    }

    private static String sqlState(Throwable t) {
        // Appends go through the Vert.x client only: its refusals are the only ones to read.
        return t instanceof DatabaseException database ? database.getSqlState() : null;
    }

    private static boolean names(Throwable t, String constraint) {
        if (t instanceof PgException pg && pg.getConstraint() != null) {
            return constraint.equals(pg.getConstraint());
        }
        return t.getMessage() != null && t.getMessage().contains(constraint);
    }
}

-- Idempotency-Key (issue 13, point 4): a key a caller sent with a run request, kept for a while so that
-- sending the same request again returns the same run instead of acting on the servers a second time.
--
-- The primary key (caller, idempotency_key) is what makes concurrent duplicates create one run: the row is
-- written by io.antidote.store.IdempotencyKeys in the transaction that appends the run's RunRequested, so
-- the key and the run commit together or not at all; the second of two racing requests waits for the
-- first's transaction and then finds the key taken, and its whole append is rolled back.
--
-- Like target_lease this is not history: a row is forgotten once expires_at has passed (an expired row is
-- replaced by the next request with the same key, and removed by a periodic sweep).

create table idempotency_key (
    caller          text        not null,
    idempotency_key text        not null,
    -- SHA-256 (hex) of the request body in a canonical form: the same key with another body is refused.
    fingerprint     char(64)    not null,
    run_id          uuid        not null,
    created_at      timestamptz not null default now(),
    expires_at      timestamptz not null,
    constraint idempotency_key_pkey primary key (caller, idempotency_key),
    constraint idempotency_key_fingerprint_is_sha256_hex check (fingerprint ~ '^[0-9a-f]{64}$'),
    constraint idempotency_key_expires_after_creation check (expires_at > created_at)
);

comment on table idempotency_key is
    'Idempotency-Key of each run request per caller, until it expires; written with the run''s first events';

create index idempotency_key_expiry on idempotency_key (expires_at);

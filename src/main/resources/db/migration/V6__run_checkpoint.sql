-- Signed checkpoints: the service's signature over a run's head (run id, last seq, last hash, time),
-- written on an interval and when a run ends. They anchor the hash chain outside the rows it covers:
-- a truncated or re-hashed tail still chains, but no longer reaches the head a checkpoint signed.
-- The private key is configuration (a mounted secret), never stored here; only its id is.
--
-- Like run_event, checkpoints are history: never updated, deleted or truncated (AN001).

create table run_checkpoint (
    id         bigint generated always as identity primary key,
    run_id     uuid        not null,
    last_seq   bigint      not null,
    last_hash  char(64)    not null,
    signed_at  timestamptz not null,
    key_id     text        not null,
    -- Base64 of the Ed25519 signature over the checkpoint's canonical JSON (docs/event-store.md).
    signature  text        not null,
    tx_id      xid8        not null default pg_current_xact_id(),
    constraint run_checkpoint_seq_from_one check (last_seq >= 1),
    constraint run_checkpoint_last_hash_is_sha256_hex check (last_hash ~ '^[0-9a-f]{64}$')
);

comment on table run_checkpoint is
    'Signed heads of run_event streams; written only by io.antidote.audit.Checkpointer';

create index run_checkpoint_run on run_checkpoint (run_id, last_seq);

create trigger run_checkpoint_no_update_or_delete
    before update or delete on run_checkpoint
    for each row execute function refuse_history_edit();

create trigger run_checkpoint_no_truncate
    before truncate on run_checkpoint
    for each statement execute function refuse_history_edit();

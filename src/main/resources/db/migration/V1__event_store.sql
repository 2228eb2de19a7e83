-- The event store: every run is one stream of events in run_event, the system of record.
--
-- The database itself keeps the history honest, so that no code path (ours, a later one, or an
-- operator's psql session) can edit it by accident:
--   * rows are never updated, deleted or truncated (triggers, which bind superusers too);
--   * each stream is gap-free from seq 1 and hash-chained: an insert must point at the hash of
--     the row before it (trigger), so a writer that lost a race cannot splice its events in.
-- The hash itself (SHA-256 over prev_hash and the canonical JSON of the event) is computed in
-- Java by io.antidote.store.EventHash; auditors recompute it to prove nothing was rewritten.
--
-- Error codes raised here (class AN, "Antidote", outside PostgreSQL's own classes):
--   AN001  the table is append-only: UPDATE, DELETE and TRUNCATE are refused
--   AN002  the insert does not continue its stream's hash chain

create function refuse_history_edit() returns trigger
language plpgsql as $$
begin
    raise exception '% is append-only: % refused', tg_table_name, tg_op
        using errcode = 'AN001',
              hint = 'rows written here are never changed; record a correction as a new row';
end;
$$;

create table run_event (
    -- Global commit order across all runs: the outbox publishes by it.
    position    bigint generated always as identity primary key,
    event_id    uuid        not null,
    run_id      uuid        not null,
    seq         bigint      not null,
    type        text        not null,
    occurred_at timestamptz not null,
    actor       text        not null,
    target      text,
    step        text,
    attempt     int,
    data        jsonb       not null,
    prev_hash   char(64)    not null,
    hash        char(64)    not null,
    constraint run_event_event_id_key unique (event_id),
    -- Two writers racing on one stream both try the same seq: exactly one insert wins.
    constraint run_event_stream_seq_key unique (run_id, seq),
    constraint run_event_seq_from_one check (seq >= 1),
    constraint run_event_type_not_blank check (btrim(type) <> ''),
    -- A JSON string holding an object would still be valid jsonb: insist on the object itself.
    constraint run_event_data_is_object check (jsonb_typeof(data) = 'object'),
    constraint run_event_prev_hash_is_sha256_hex check (prev_hash ~ '^[0-9a-f]{64}$'),
    constraint run_event_hash_is_sha256_hex check (hash ~ '^[0-9a-f]{64}$')
);

comment on table run_event is
    'Append-only, hash-chained event streams, one per run; written only by io.antidote.store.EventStore';

-- The run list: one row per run (its first event), newest first.
create index run_event_run_start on run_event (occurred_at desc, run_id) where seq = 1;
-- Finding runs by the events they contain (e.g. runs without a terminal event, to resume them).
create index run_event_type_run on run_event (type, run_id);

create function run_event_enforce_chain() returns trigger
language plpgsql as $$
declare
    previous_hash char(64);
begin
    if new.seq = 1 then
        if new.prev_hash is distinct from repeat('0', 64) then
            raise exception 'run_event chain broken: run % seq 1 must have a prev_hash of 64 zeros', new.run_id
                using errcode = 'AN002';
        end if;
        return new;
    end if;

    select e.hash into previous_hash
      from run_event e
     where e.run_id = new.run_id and e.seq = new.seq - 1;
    if not found then
        raise exception 'run_event chain broken: run % has no seq % to follow with seq %',
                new.run_id, new.seq - 1, new.seq
            using errcode = 'AN002';
    end if;
    if previous_hash is distinct from new.prev_hash then
        raise exception 'run_event chain broken: run % seq % does not point at the hash of seq %',
                new.run_id, new.seq, new.seq - 1
            using errcode = 'AN002';
    end if;
    return new;
end;
$$;

create trigger run_event_chain
    before insert on run_event
    for each row execute function run_event_enforce_chain();

create trigger run_event_no_update_or_delete
    before update or delete on run_event
    for each row execute function refuse_history_edit();

create trigger run_event_no_truncate
    before truncate on run_event
    for each statement execute function refuse_history_edit();


-- Every playbook text a run was requested with, by its digest, so that a run can always show
-- (and an auditor re-check) the exact playbook it ran, even after the file on disk changed.
create table playbook_version (
    digest    char(64)    primary key,
    name      text        not null,
    source    text        not null,
    loaded_at timestamptz not null default now(),
    constraint playbook_version_digest_is_sha256_hex check (digest ~ '^[0-9a-f]{64}$')
);

create trigger playbook_version_no_update_or_delete
    before update or delete on playbook_version
    for each row execute function refuse_history_edit();

create trigger playbook_version_no_truncate
    before truncate on playbook_version
    for each statement execute function refuse_history_edit();

-- A person's command (approve, reject, cancel, release) accepted by a replica that does not carry the run
-- (docs/architecture.md, "Who carries a run"): it is written here in the request and decided by the run's
-- owner, exactly once. The row is consumed in the transaction of the events it decided (status APPLIED),
-- or marked REFUSED with the decider's reason when it does not apply; a command whose run has no owner any
-- more (the run ended meanwhile) is decided by any live replica. Rows are kept: who asked what, when, and
-- what became of it.
--
-- The owner is woken by a notification sent with the insert (delivered after the commit, to every replica
-- that listens); every replica also looks at each heartbeat, so a lost notification delays a command by one
-- heartbeat at most, and a dead owner's commands are decided by the replica that adopts its run.

create table run_command (
    command_id   uuid        primary key,
    run_id       uuid        not null,
    kind         text        not null,
    command      jsonb       not null,
    actor        text        not null,
    received_by  text        not null,
    received_at  timestamptz not null default now(),
    status       text        not null default 'PENDING' check (status in ('PENDING', 'APPLIED', 'REFUSED')),
    decided_by   text,
    decided_at   timestamptz,
    refusal      text,
    detail       text,
    check ((status = 'PENDING') = (decided_at is null)),
    check ((status = 'REFUSED') = (refusal is not null))
);

comment on table run_command is
    'People''s commands for runs carried by another replica, each decided once by the run''s owner';

create index run_command_pending on run_command (run_id) where status = 'PENDING';

create function run_command_signal() returns trigger
language plpgsql as $$
begin
    perform pg_notify('antidote_run_command', new.run_id::text);
    return null;
end
$$;

create trigger run_command_signal
    after insert on run_command
    for each row execute function run_command_signal();

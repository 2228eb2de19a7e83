-- Runs have an owner: one live replica at a time carries a run (decides, runs its steps, fires its timers).
-- See docs/architecture.md, "Who carries a run".
--
--   engine_replica  one row per running process (a new id at every start), kept alive by its heartbeat;
--                   a replica whose expires_at has passed, or whose row is gone (it stopped and let go),
--                   is dead, and its runs may be adopted.
--   run_owner       one row per unfinished run: the replica carrying it and the fencing token, which grows
--                   by one with every new owner. The row is deleted once the run has ended.
--
-- The fencing token is checked by the database on every insert into run_event (trigger below), in the
-- inserting transaction: a replica that lost a run (it stalled past its expiry, another adopted the run)
-- can no longer append to it, whatever it decided. The row is locked FOR SHARE by the check, so an adoption
-- (UPDATE of the row) waits for appends in progress and every later append sees the new token.
--
-- Error code raised here (class AN, see V1):
--   AN003  the append carries a fencing token that is not the run's current one

create table engine_replica (
    replica_id   text        primary key,
    started_at   timestamptz not null default now(),
    heartbeat_at timestamptz not null default now(),
    expires_at   timestamptz not null
);

comment on table engine_replica is
    'Running Antidote processes and how long each is presumed alive without a new heartbeat';

create table run_owner (
    run_id      uuid        primary key,
    replica_id  text        not null,
    token       bigint      not null check (token >= 1),
    owned_since timestamptz not null default now()
);

comment on table run_owner is
    'Which replica carries each unfinished run, under which fencing token; checked by every run_event insert';

create index run_owner_replica on run_owner (replica_id);

-- The fencing token the append was decided under. Null for appends made outside the engine's ownership
-- (a run no replica has claimed); it is not part of the hashed event, only a record of who wrote it.
alter table run_event add column owner_token bigint;

create function run_event_check_owner() returns trigger
language plpgsql as $$
declare
    current_token bigint;
begin
    select o.token into current_token from run_owner o where o.run_id = new.run_id for share;
    if not found then
        if new.owner_token is not null then
            raise exception 'run % has no owner now: an append under fencing token % is stale',
                    new.run_id, new.owner_token
                using errcode = 'AN003';
        end if;
        return new;
    end if;
    if new.owner_token is distinct from current_token then
        raise exception 'run % is owned under fencing token %: an append under token % is refused',
                new.run_id, current_token, coalesce(new.owner_token::text, 'none')
            using errcode = 'AN003',
                  hint = 'another replica adopted the run; the replica that lost it must let it go';
    end if;
    return new;
end;
$$;

-- Named to fire after run_event_chain (triggers fire in name order): a broken chain is reported as such.
create trigger run_event_owner_fence
    before insert on run_event
    for each row execute function run_event_check_owner();

-- Runs in flight before this migration: owned by nobody alive, so the first replica to start adopts them.
insert into run_owner (run_id, replica_id, token, owned_since)
select e.run_id, 'before-V9', 1, now()
  from run_event e
 where e.seq = 1
   and not exists (select 1 from run_event t
                    where t.run_id = e.run_id
                      and t.type in ('RunSucceeded', 'RunFailed', 'RunCancelled'));

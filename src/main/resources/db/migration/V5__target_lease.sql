-- One run per target, enforced by the database: a run holds a target from its TargetStarted event
-- to the event that ends the target there (TargetSucceeded, TargetFailed, TargetCancelled,
-- TargetSkipped). The lease row is written and removed by io.antidote.engine.TargetLeases in the
-- transaction that appends those events, so a lease exists exactly while the events say the target
-- is held; two engines (threads or replicas) that both decide to start the same target race on the
-- primary key, and the loser's whole append (its TargetStarted included) is rolled back.
--
-- Unlike run_event this is not history: rows come and go. A run that crashed keeps its leases;
-- recovering it resumes the targets it holds (docs/event-store.md).
--
-- Numbered V5, not the V2 once reserved for it: databases already at V4 would refuse a V2 as out of
-- order (Flyway validates that every resolved migration below the current version was applied).

create table target_lease (
    target   text        primary key,
    run_id   uuid        not null,
    taken_at timestamptz not null default now()
);

comment on table target_lease is
    'Which run holds each target now (one at most); written with the events that start and end targets';

create index target_lease_run on target_lease (run_id);

-- Targets held by runs recorded before this table existed: the latest run that started each target
-- and has not ended it there.
insert into target_lease (target, run_id, taken_at)
select distinct on (s.target) s.target, s.run_id, s.occurred_at
  from run_event s
 where s.type = 'TargetStarted'
   and not exists (select 1 from run_event e
                    where e.run_id = s.run_id and e.target = s.target
                      and e.type in ('TargetSucceeded', 'TargetFailed', 'TargetCancelled', 'TargetSkipped'))
 order by s.target, s.position desc;

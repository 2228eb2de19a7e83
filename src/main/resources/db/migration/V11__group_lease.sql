-- One member of a group (a DAG) at a time across all runs, enforced by the database as target_lease is (V5):
-- a run that starts a target whose plan names a group for it (the playbook's groupBy label, or the target's
-- dag label) takes the group in the same transaction as its TargetStarted event, and lets it go with the event
-- that ends the target there (TargetSucceeded, TargetFailed, TargetCancelled, TargetSkipped) or the run. The
-- primary key on the group is what refuses a second run's start of another member: its whole append (its
-- TargetStarted included) is rolled back, and it records waiting instead (TargetWaiting), as for a busy target.
--
-- The whole change window of the target is covered, not only the steps that put the server in maintenance: a
-- member is drained, rebooted and brought back inside that window, and a lease that starts and ends with the
-- target cannot outlive it. Rows of a run that crashed stay with it; the replica that adopts the run resumes
-- the target and lets the group go when it ends (docs/event-store.md, "Leases").

create table group_lease (
    group_name text        primary key,
    run_id     uuid        not null,
    target     text        not null,
    taken_at   timestamptz not null default now()
);

comment on table group_lease is
    'Which run holds each group of targets (a DAG) now, through which member; written with the events that start and end targets';

create index group_lease_run on group_lease (run_id, target);

-- Groups of targets held by runs in flight before this table existed: the member leased first holds its group
-- (two members of one group could both be held then, by two runs; the later one gets no row and lets nothing go).
insert into group_lease (group_name, run_id, target, taken_at)
select distinct on (g.group_name) g.group_name, l.run_id, l.target, l.taken_at
  from target_lease l
  join run_event r on r.run_id = l.run_id and r.seq = 1
  cross join lateral (select r.data -> 'plan' -> 'groups' ->> l.target as group_name) g
 where g.group_name is not null
 order by g.group_name, l.taken_at;

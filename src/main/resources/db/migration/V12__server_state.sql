-- Read model: each server's state across runs (server_state), for GET /api/v1/servers.
--
-- Like run_summary (V3) it is not history: a row is the fold of the events about one server, written in the
-- same transaction as the events that change it and rebuilt from run_event at any time. It is derived in SQL,
-- from the stored rows alone, by the one function below, which both the append (PostgresEventStore) and the
-- rebuild (server_state_rebuild, ProjectionRebuilder) call: what an append writes and what a rebuild computes
-- are the same by construction. Each part of a row keeps the position of the event it comes from and is
-- replaced only by a later one, so the order in which runs are folded does not matter.
--
-- The event types named here are stored names (RunEventTypes), which never change once written.

create table server_state (
    name             text        primary key,
    -- The labels the inventory gave the server when its latest run was requested, as that run's plan recorded
    -- them (RunPlan.labels); null when no run recorded any (plans from before V12): the API then shows the
    -- inventory's labels.
    labels           jsonb,
    labels_position  bigint      not null default 0,
    -- The last TargetVerdictRecorded of any run for the server; all null until one exists.
    patch            text,
    compromise       text,
    service          text,
    indicators       jsonb,
    reasons          jsonb,
    verdict_at       timestamptz,
    verdict_run      uuid,
    verdict_seq      bigint,
    verdict_hash     char(64),
    verdict_position bigint,
    -- What the verdict rests on: [{runId, seq, hash, type, step}] of the step outcomes (and any release) of the
    -- verdict's run on the server before it, then the verdict event itself.
    evidence         jsonb
);

comment on table server_state is
    'Each server''s last verdict with its evidence and labels: the fold of run_event; rebuilt from it on demand';

create index server_state_patch on server_state (patch);
create index server_state_compromise on server_state (compromise);
create index server_state_service on server_state (service);
create index server_state_labels on server_state using gin (labels jsonb_path_ops);

-- Folds the events of one run after seq p_after_seq into server_state: the servers its request named (with
-- their recorded labels), and the verdicts it recorded.
create function server_state_project(p_run uuid, p_after_seq bigint) returns void
language sql as $$
    insert into server_state (name, labels, labels_position)
    select distinct on (t.name) t.name, e.data -> 'plan' -> 'labels' -> t.name, e.position
      from run_event e
           cross join lateral jsonb_array_elements_text(e.data -> 'plan' -> 'targets') as t(name)
     where e.run_id = p_run and e.seq > p_after_seq and e.type = 'RunRequested'
     order by t.name, e.position desc
    on conflict (name) do update set labels = excluded.labels, labels_position = excluded.labels_position
     where server_state.labels_position < excluded.labels_position;

    insert into server_state (name, patch, compromise, service, indicators, reasons, verdict_at, verdict_run,
                              verdict_seq, verdict_hash, verdict_position, evidence)
    select distinct on (v.target) v.target, v.data -> 'verdict' ->> 'patch', v.data -> 'verdict' ->> 'compromise',
           v.data -> 'verdict' ->> 'service', coalesce(v.data -> 'verdict' -> 'indicators', '[]'),
           coalesce(v.data -> 'verdict' -> 'reasons', '[]'), v.occurred_at, v.run_id, v.seq, v.hash, v.position,
           (select coalesce(jsonb_agg(jsonb_build_object('runId', x.run_id, 'seq', x.seq, 'hash', x.hash,
                                                         'type', x.type, 'step', x.step) order by x.seq), '[]')
              from run_event x
             where x.run_id = v.run_id and x.target = v.target and x.seq < v.seq
               and x.type in ('StepSucceeded', 'StepFailed', 'StepSkipped', 'StepTimedOut', 'StepInterrupted',
                              'TargetReleased'))
           || jsonb_build_array(jsonb_build_object('runId', v.run_id, 'seq', v.seq, 'hash', v.hash,
                                                   'type', v.type, 'step', v.step))
      from run_event v
     where v.run_id = p_run and v.seq > p_after_seq and v.type = 'TargetVerdictRecorded'
     order by v.target, v.position desc
    on conflict (name) do update set patch = excluded.patch, compromise = excluded.compromise,
           service = excluded.service, indicators = excluded.indicators, reasons = excluded.reasons,
           verdict_at = excluded.verdict_at, verdict_run = excluded.verdict_run, verdict_seq = excluded.verdict_seq,
           verdict_hash = excluded.verdict_hash, verdict_position = excluded.verdict_position,
           evidence = excluded.evidence
     where server_state.verdict_position is null or server_state.verdict_position < excluded.verdict_position;
$$;

-- Throws server_state away and folds every run's events into it again; answers how many servers it holds.
-- Rows are deleted rather than truncated: the service role may delete from a projection, not truncate it.
create function server_state_rebuild() returns integer
language plpgsql as $$
declare
    run uuid;
    servers integer;
begin
    delete from server_state;
    for run in select run_id from run_event where seq = 1 loop
        perform server_state_project(run, 0);
    end loop;
    select count(*) into servers from server_state;
    return servers;
end
$$;

-- The servers of the runs recorded before this table existed.
select server_state_rebuild();

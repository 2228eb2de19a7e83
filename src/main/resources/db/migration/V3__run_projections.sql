-- Read models, derived from run_event: the run list (run_summary).
--
-- Unlike run_event these rows are not history: they are rewritten as a run moves on, in the same
-- transaction as the events that moved it, and can be thrown away and rebuilt from the events at
-- any time (io.antidote.engine.ProjectionRebuilder). Nothing here is a source of truth.
--
-- Numbered V3 so that it does not clash with a V2 added on another branch.

create table run_summary (
    run_id       uuid        primary key,
    playbook     text        not null,
    digest       char(64)    not null,
    status       text        not null,
    ticket       text,
    requested_by text        not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    finished_at  timestamptz,
    -- Target names in rollout order; an array so that "runs on this server" is one indexed test.
    targets      text[]      not null,
    -- The seq of the last event folded in: an upsert never replaces a row with an older state.
    last_seq     bigint      not null check (last_seq >= 1)
);

comment on table run_summary is
    'The run list: one row per run, the fold of its events; rebuilt from run_event on demand';

-- GET /api/v1/runs: newest first, then by id, optionally filtered.
create index run_summary_newest on run_summary (created_at desc, run_id);
create index run_summary_status on run_summary (status, created_at desc, run_id);
create index run_summary_playbook on run_summary (playbook, created_at desc, run_id);
create index run_summary_ticket on run_summary (ticket, created_at desc, run_id) where ticket is not null;
create index run_summary_targets on run_summary using gin (targets);

-- Wake-up signals for the live streams (GET /api/v1/runs/{id}/events and GET /api/v1/runs as
-- text/event-stream, io.antidote.live). A notification is sent in the transaction of the append that
-- caused it, so PostgreSQL delivers it only after that commit, to every replica that listens, whichever
-- replica appended. It carries only the run id: listeners read what changed from run_event and
-- run_summary, which stay the truth; a notification lost (a listener reconnecting) costs a listener
-- nothing it does not catch up on by reading again.

-- One notification per statement and run: an append inserts its whole batch in one statement.
create function run_event_signal() returns trigger
language plpgsql as $$
declare
    appended record;
begin
    for appended in select distinct run_id from new_events loop
        perform pg_notify('antidote_run_event', appended.run_id::text);
    end loop;
    return null;
end
$$;

create trigger run_event_signal
    after insert on run_event
    referencing new table as new_events
    for each statement execute function run_event_signal();

-- The run list changes for its watchers when a run appears or its status changes, not on every event.
create function run_summary_signal() returns trigger
language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        perform pg_notify('antidote_run_list', new.run_id::text || ' created');
    elsif old.status is distinct from new.status then
        perform pg_notify('antidote_run_list', new.run_id::text || ' status');
    end if;
    return null;
end
$$;

create trigger run_summary_signal
    after insert or update on run_summary
    for each row execute function run_summary_signal();

-- The replica that wrote a person's command for another replica's run (V20) waits for its decision, to answer
-- the caller as the owner would have. It is woken by this notification, sent with the decision (applied in
-- the events' transaction, or refused) and delivered after the commit; it also looks now and then, so a lost
-- notification only delays its answer.

create function run_command_decided_signal() returns trigger
language plpgsql as $$
begin
    perform pg_notify('antidote_run_command_decided', new.command_id::text);
    return null;
end
$$;

create trigger run_command_decided_signal
    after update of status on run_command
    for each row
    when (old.status = 'PENDING' and new.status <> 'PENDING')
    execute function run_command_decided_signal();

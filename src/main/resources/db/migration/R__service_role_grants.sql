-- Least privilege for the role the service connects as (antidote.database.service-role, the datasource's
-- user in production), granted by the role that owns the schema and runs the migrations (the Helm chart's
-- migration Job, or quarkus.flyway.username). The service role owns no table, so it can neither drop nor
-- disable the triggers that keep the history append-only; on the history itself it may only read and
-- append. A repeatable migration: Flyway applies it again whenever this file changes, so a migration that
-- adds a table adds its grant here (ServiceRoleTest fails on a table without one).
--
-- Without such a role (a laptop, where the service runs as the owner), nothing is granted.
do $$
declare
    service name := '${servicerole}';
begin
    if not exists (select 1 from pg_roles where rolname = service) then
        raise notice 'no role %: nothing granted (the service connects as the schema owner)', service;
        return;
    end if;
    if service = current_user then
        raise notice 'role % owns the schema: it already has every right, nothing granted', service;
        return;
    end if;
    execute format('grant usage on schema %I to %I', current_schema(), service);
    -- From a clean slate each time, so that a right taken out of this file is taken from the role too.
    execute format('revoke all on all tables in schema %I from %I', current_schema(), service);
    execute format('revoke all on all sequences in schema %I from %I', current_schema(), service);
    -- Append-only: the history, the signed checkpoints of its heads, the playbook versions runs refer to.
    execute format('grant select, insert on run_event, run_checkpoint, playbook_version to %I', service);
    -- Append-only too: every alert received and what was decided (docs/alerts.md), part of the audit trail.
    execute format('grant select, insert on alert to %I', service);
    -- Projections and coordination rows, which the service keeps up to date.
    execute format('grant select, insert, update, delete on run_summary, outbox_cursor, target_lease, '
                   'idempotency_key, api_token, engine_replica, run_owner, playbook_in_force, group_lease, server_state, '
                   'webhook_subscription, webhook_delivery, run_command '
                   'to %I', service);
    -- The run list is rebuilt from the history in one transaction (ProjectionRebuilder).
    execute format('grant truncate on run_summary to %I', service);
    execute format('grant usage, select on all sequences in schema %I to %I', current_schema(), service);
end
$$;

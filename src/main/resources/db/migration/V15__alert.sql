-- Alerts in (docs/alerts.md): every alert an EDR or SIEM sent, by POST /api/v1/alerts or the RabbitMQ queue,
-- with what was decided and why. Part of the audit trail: rows are only ever added, never changed or removed
-- (the same trigger as the history refuses it, and the service role may only insert and read).
--
-- decision: MATCHED (a rule requested run_id), DEDUPLICATED (a run of the same rule and server was already
-- requested within the rule's window: run_id is that run), IGNORED (no rule matches), REFUSED (the alert is
-- malformed or hostile, or the run it asked for was refused; reason says which field or why).
-- The alert's own fields are null when it was refused before they could be read.

create table alert (
    id           uuid        primary key,
    received_at  timestamptz not null default now(),
    channel      text        not null,
    received_by  text        not null,
    source       text,
    external_id  text,
    server       text,
    type         text,
    severity     text,
    occurred_at  timestamptz,
    summary      text,
    rule         text,
    decision     text        not null,
    reason       text        not null,
    run_id       uuid,
    constraint alert_channel_known check (channel in ('api', 'queue')),
    constraint alert_decision_known check (decision in ('MATCHED', 'DEDUPLICATED', 'IGNORED', 'REFUSED')),
    constraint alert_run_when_acted_on check ((decision in ('MATCHED', 'DEDUPLICATED')) = (run_id is not null)),
    constraint alert_rule_when_matched check (decision not in ('MATCHED', 'DEDUPLICATED') or rule is not null)
);

comment on table alert is
    'Append-only record of every alert received and the decision taken (io.antidote.store.Alerts, docs/alerts.md)';

-- The auditors' list: newest first, and by run, server or source.
create index alert_received on alert (received_at desc, id);
create index alert_run on alert (run_id) where run_id is not null;
create index alert_server on alert (server, received_at desc);

create trigger alert_no_update_or_delete
    before update or delete on alert
    for each row execute function refuse_history_edit();

create trigger alert_no_truncate
    before truncate on alert
    for each statement execute function refuse_history_edit();

-- run_event is also the outbox: committed events are published from it, in commit order, by a
-- relay that remembers how far it got (outbox_cursor).
--
-- Identity values are handed out when a row is inserted, not when its transaction commits, so a
-- reader that only follows `position` can pass over a row whose transaction commits late. Each row
-- therefore records its transaction id, and the relay reads only rows of transactions older than
-- every transaction still in flight (pg_snapshot_xmin), in (tx_id, position) order. Within one run
-- this is seq order: a later append reads the earlier one's commit before it writes, so its
-- transaction id is larger.
--
-- (V2 and V3 are left to migrations being written alongside this one.)

alter table run_event add column tx_id xid8 not null default pg_current_xact_id();

create index run_event_outbox_order on run_event (tx_id, position);

create table outbox_cursor (
    consumer  text   primary key,
    tx_id     xid8   not null,
    position  bigint not null
);

comment on table outbox_cursor is
    'How far each outbox relay has published run_event, as the last (tx_id, position) it sent';

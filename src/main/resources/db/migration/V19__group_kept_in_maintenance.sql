-- A group (a DAG) stays held for a member left in maintenance (issue 12 pt 5). V11 held a group for a member's
-- change window only, from TargetStarted to the event that ends the target; but a remediation that fails keeps
-- its maintenance (the step is kept on failure), and a second run on another member then took the group and put
-- that one in maintenance too. Now the event that ends such a target (its holdsGroup step succeeded and was not
-- undone: RunState.keptHold) lets the target go but keeps the group row, with kept_step naming the step left in
-- effect; the run's end keeps it too. It goes when:
-- - a new run starts that same member: it takes the row over (the re-entrant remediation goes on from the
--   maintenance it finds) and holds the group for its own change window as usual;
-- - a release of the member in the run that left it (POST /api/v1/runs/{id}/targets/{target}/release) ran the
--   kept step's undo, which ends the maintenance.
-- Meanwhile another member's start is refused by the primary key as before, and the run records waiting with the
-- member and the run named (docs/event-store.md, "Leases").

alter table group_lease add column kept_step text;

comment on column group_lease.kept_step is
    'Null while the run is at work on the member; else the step left in effect on it (in maintenance) after its target ended';

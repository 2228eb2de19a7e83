-- Retry from the failed step (POST /api/v1/runs/{id}/retry, docs/api.md "Retry and skip"). A retry is a new run
-- whose RetryRequested event names the run it goes on from (data.retryOf); the run retried is never written to.
-- This index is both the link back (GET /api/v1/runs/{id} answers retriedAs from it) and the rule that a run is
-- retried once: two retries of one run would start two runs on the same failed servers, so of two concurrent
-- requests the database lets exactly one commit. A retry that failed is itself retried, as a run of its own.
create unique index run_event_one_retry_per_run on run_event ((data ->> 'retryOf'))
    where type = 'RetryRequested';

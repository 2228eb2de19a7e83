-- One event per transaction, the same row shape as EventStore.append writes (no chain trigger).
insert into bench_event (event_id, run_id, seq, type, occurred_at, actor, target, step, attempt, data, prev_hash, hash)
values (gen_random_uuid(), gen_random_uuid(), 1, 'StepSucceeded', now(), 'antidote', 'ex01', 'patch', 1,
        '{"exitCode": 0, "stdout": "{\"build\":\"15.1.2176.9\",\"proxylogonPatched\":true}", "stderr": ""}',
        repeat('0', 64), repeat('a', 64));

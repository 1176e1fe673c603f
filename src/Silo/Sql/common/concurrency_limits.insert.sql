INSERT INTO concurrency_limits (id, tag, concurrency_limit, active_slots, created, updated, version, slot_leases)
VALUES (@id, @tag, @concurrency_limit, '[]', @now, @now, 1, '{}')
ON CONFLICT (tag) DO NOTHING

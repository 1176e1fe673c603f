INSERT INTO concurrency_limits (id, tag, concurrency_limit, active_slots, created, updated)
VALUES (@id, @tag, @concurrency_limit, '[]', @now, @now)
ON CONFLICT (tag) DO UPDATE SET concurrency_limit = excluded.concurrency_limit, updated = excluded.updated
RETURNING id, tag, concurrency_limit, active_slots, created, updated

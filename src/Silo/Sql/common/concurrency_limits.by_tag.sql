SELECT id, tag, concurrency_limit, active_slots, created, updated FROM concurrency_limits WHERE tag = @tag

SELECT id, tag, concurrency_limit, active_slots, created, updated, version, slot_leases FROM concurrency_limits WHERE id = @id

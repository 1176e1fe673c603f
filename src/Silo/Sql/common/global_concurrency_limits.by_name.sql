SELECT id, name, active, concurrency_limit, active_slots, denied_slots, slot_decay_per_second, avg_slot_occupancy_seconds, created, updated FROM global_concurrency_limits WHERE name = @name

INSERT INTO global_concurrency_limits (id, name, active, concurrency_limit, active_slots, denied_slots, slot_decay_per_second, avg_slot_occupancy_seconds, created, updated)
VALUES (@id, @name, @active, @concurrency_limit, @active_slots, @denied_slots, @slot_decay_per_second, @avg_slot_occupancy_seconds, @now, @now)
ON CONFLICT DO NOTHING

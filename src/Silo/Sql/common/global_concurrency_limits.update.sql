UPDATE global_concurrency_limits SET name = @name, active = @active, concurrency_limit = @concurrency_limit, active_slots = @active_slots,
    denied_slots = @denied_slots, slot_decay_per_second = @slot_decay_per_second, avg_slot_occupancy_seconds = @avg_slot_occupancy_seconds, updated = @updated
WHERE id = @id AND NOT EXISTS (SELECT 1 FROM global_concurrency_limits AS other WHERE other.name = @name AND other.id <> @id)

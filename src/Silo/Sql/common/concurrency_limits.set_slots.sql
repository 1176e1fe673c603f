UPDATE concurrency_limits SET active_slots = @active_slots, updated = @updated WHERE id = @id

UPDATE concurrency_limits
SET concurrency_limit = @concurrency_limit, active_slots = @active_slots, slot_leases = @slot_leases, updated = @updated, version = version + 1
WHERE id = @id AND version = @version

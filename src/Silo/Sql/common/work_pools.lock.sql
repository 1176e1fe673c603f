SELECT id FROM work_pools WHERE id = @id

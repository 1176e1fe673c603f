SELECT data FROM work_pools WHERE id = @id

SELECT data FROM work_pools WHERE name = @name

DELETE FROM automation_firings WHERE automation_id = @id

DELETE FROM automations WHERE id = @id

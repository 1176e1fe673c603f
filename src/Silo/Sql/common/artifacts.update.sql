UPDATE artifacts SET data = @data, description = @description, metadata = @metadata, updated = @now WHERE id = @id

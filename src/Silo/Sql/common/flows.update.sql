UPDATE flows SET tags = @tags, updated = @now, data = @data WHERE id = @id

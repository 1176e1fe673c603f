UPDATE variables SET name = @name, value = @value, tags = @tags, updated = @now
WHERE id = @id AND NOT EXISTS (SELECT 1 FROM variables AS other WHERE other.name = @name AND other.id <> @id)

SELECT id, name, filters, created, updated FROM saved_searches WHERE id = @id

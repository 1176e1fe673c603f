SELECT id, name, filters, created, updated FROM saved_searches ORDER BY name, id LIMIT @limit OFFSET @offset

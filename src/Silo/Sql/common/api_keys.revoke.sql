UPDATE api_keys SET revoked = @now WHERE id = @id AND revoked IS NULL

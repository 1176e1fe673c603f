SELECT id, name, role, key_prefix, created, expires, revoked FROM api_keys WHERE id = @id

SELECT id, name, role, key_prefix, created, expires, revoked FROM api_keys ORDER BY created, id LIMIT @limit OFFSET @offset

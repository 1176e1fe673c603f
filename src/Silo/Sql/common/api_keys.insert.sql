INSERT INTO api_keys (id, name, role, key_hash, key_prefix, created, expires) VALUES (@id, @name, @role, @hash, @prefix, @created, @expires)

SELECT COUNT(*) FROM api_keys WHERE role = 'admin' AND revoked IS NULL AND (expires IS NULL OR expires > @now)

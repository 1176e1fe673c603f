INSERT INTO leases (name, owner, expires_at) VALUES (@name, @owner, @expires_at)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
WHERE leases.owner = excluded.owner OR leases.expires_at <= @now

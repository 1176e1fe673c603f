DELETE FROM artifact_collections WHERE key = @key

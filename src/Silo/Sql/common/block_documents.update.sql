UPDATE block_documents SET data = @data, block_schema_id = @block_schema_id, updated = @now WHERE id = @id

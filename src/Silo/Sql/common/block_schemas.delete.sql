DELETE FROM block_document_references WHERE parent_block_document_id IN (SELECT id FROM block_documents WHERE block_schema_id = @id)
    OR reference_block_document_id IN (SELECT id FROM block_documents WHERE block_schema_id = @id);
DELETE FROM block_documents WHERE block_schema_id = @id;
DELETE FROM block_schemas WHERE id = @id

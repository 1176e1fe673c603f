DELETE FROM block_document_references WHERE parent_block_document_id = @id OR reference_block_document_id = @id

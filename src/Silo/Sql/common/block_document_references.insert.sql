INSERT INTO block_document_references (id, parent_block_document_id, reference_block_document_id, name, created, updated)
VALUES (@id, @parent_block_document_id, @reference_block_document_id, @name, @now, @now)

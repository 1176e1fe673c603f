DELETE FROM block_documents WHERE id = @id

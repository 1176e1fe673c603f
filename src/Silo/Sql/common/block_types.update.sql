UPDATE block_types SET logo_url = @logo_url, documentation_url = @documentation_url, description = @description,
    code_example = @code_example, updated = @now
WHERE id = @id

SELECT id, name, slug, logo_url, documentation_url, description, code_example, is_protected, created, updated FROM block_types WHERE id = @id

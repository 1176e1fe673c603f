SELECT s.id, s.checksum, s.fields, s.capabilities, s.version, s.created, s.updated,
    t.id, t.name, t.slug, t.logo_url, t.documentation_url, t.description, t.code_example, t.is_protected, t.created, t.updated
FROM block_schemas AS s JOIN block_types AS t ON t.id = s.block_type_id
WHERE s.checksum = @checksum
ORDER BY s.created DESC, s.id DESC
LIMIT 1

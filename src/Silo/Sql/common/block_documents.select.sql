SELECT d.id, d.name, d.data, d.is_anonymous, d.created, d.updated, d.block_schema_id, d.block_type_id,
    s.id, s.checksum, s.fields, s.capabilities, s.version, s.created, s.updated,
    t.id, t.name, t.slug, t.logo_url, t.documentation_url, t.description, t.code_example, t.is_protected, t.created, t.updated
FROM block_documents AS d
JOIN block_schemas AS s ON s.id = d.block_schema_id
JOIN block_types AS t ON t.id = d.block_type_id

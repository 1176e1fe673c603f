SELECT DISTINCT capability FROM block_schemas, unnest(block_schemas.capabilities) AS capability ORDER BY capability

SELECT DISTINCT capability.value FROM block_schemas, json_each(block_schemas.capabilities) AS capability ORDER BY capability.value

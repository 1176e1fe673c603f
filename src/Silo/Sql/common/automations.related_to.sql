SELECT a.id, a.name, a.enabled, a.tags, a.body, a.created, a.updated
FROM automations AS a JOIN automation_related_resources AS r ON r.automation_id = a.id
WHERE r.resource_id = @resource_id
ORDER BY a.name, a.id

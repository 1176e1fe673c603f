INSERT INTO automation_related_resources (automation_id, resource_id, owned_by_resource) VALUES (@id, @resource_id, @owned)
ON CONFLICT (automation_id, resource_id) DO UPDATE SET owned_by_resource = (automation_related_resources.owned_by_resource OR excluded.owned_by_resource)

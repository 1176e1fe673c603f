SELECT automation_id FROM automation_related_resources WHERE resource_id = @resource_id AND owned_by_resource = @owned

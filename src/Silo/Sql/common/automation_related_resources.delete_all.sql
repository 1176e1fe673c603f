DELETE FROM automation_related_resources WHERE automation_id = @id

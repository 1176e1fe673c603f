DELETE FROM deployments WHERE id = @id

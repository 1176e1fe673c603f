SELECT data FROM deployments WHERE id = @id

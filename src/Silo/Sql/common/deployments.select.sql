SELECT data FROM deployments

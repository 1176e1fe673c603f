SELECT deployments.data FROM deployments JOIN flows ON flows.id = deployments.flow_id
WHERE flows.name = @flow_name AND deployments.name = @name

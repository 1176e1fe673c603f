SELECT data FROM deployments WHERE flow_id = @flow_id AND name = @name

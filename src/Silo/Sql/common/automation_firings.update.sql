UPDATE automation_firings SET status = @status, action_results = @action_results, updated = @updated WHERE id = @id

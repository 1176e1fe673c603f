SELECT state, version FROM automation_trigger_states WHERE automation_id = @id

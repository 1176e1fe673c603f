INSERT INTO automation_trigger_states (automation_id, state, version, updated) VALUES (@id, @state, @version, @updated)
ON CONFLICT (automation_id) DO UPDATE SET state = excluded.state, version = excluded.version, updated = excluded.updated
WHERE automation_trigger_states.version = @expected

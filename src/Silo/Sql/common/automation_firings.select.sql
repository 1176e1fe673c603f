SELECT id, automation_id, trigger_id, fired, bucket_key, triggering_labels, triggering_event, event_ids, status, action_results, updated FROM automation_firings

SELECT COUNT(*) FROM flow_runs WHERE work_queue_id = @work_queue_id AND state_type = 'SCHEDULED' AND state_name = 'Late'

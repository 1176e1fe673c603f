UPDATE flow_run_notification_queue SET sent = @now, result = @result WHERE id = @id

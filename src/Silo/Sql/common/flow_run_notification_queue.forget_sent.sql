DELETE FROM flow_run_notification_queue WHERE sent IS NOT NULL AND sent < @before

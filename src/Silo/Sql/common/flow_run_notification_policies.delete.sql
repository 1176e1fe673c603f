DELETE FROM flow_run_notification_policies WHERE id = @id

INSERT INTO flow_run_notification_policies (id, is_active, state_names, tags, block_document_id, message_template, created, updated)
VALUES (@id, @is_active, @state_names, @tags, @block_document_id, @message_template, @now, @now)

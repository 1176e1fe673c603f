UPDATE flow_run_notification_policies SET is_active = @is_active, state_names = @state_names, tags = @tags,
    block_document_id = @block_document_id, message_template = @message_template, updated = @now
WHERE id = @id

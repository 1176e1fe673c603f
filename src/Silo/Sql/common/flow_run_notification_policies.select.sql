SELECT id, is_active, state_names, tags, block_document_id, message_template, created, updated FROM flow_run_notification_policies

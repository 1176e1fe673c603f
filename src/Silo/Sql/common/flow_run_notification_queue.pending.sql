SELECT q.id, q.policy_id, q.flow_run_id, q.state_id, p.block_document_id, p.message_template
FROM flow_run_notification_queue AS q LEFT JOIN flow_run_notification_policies AS p ON p.id = q.policy_id
WHERE q.sent IS NULL ORDER BY q.queued, q.id LIMIT @limit

-- Related-resource filters select event ids from event_resources by (resource_id, role, occurred). The index of 0018
-- held no event_id, so PostgreSQL read one heap row of event_resources per match (a bitmap heap scan over thousands of
-- pages at 1,000,000 events); with event_id included the scan is index-only. (SQLite's event_resources is WITHOUT
-- ROWID: its secondary index already carries the key, event_id included.)
CREATE INDEX ix_event_resources_resource_covering ON event_resources (resource_id text_pattern_ops, role, occurred) INCLUDE (event_id);
DROP INDEX ix_event_resources_resource;

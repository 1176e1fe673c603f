-- event_resources keeps related resources only. The row of an event's own resource (role '') repeated the event's own
-- columns (resource_id, served by ix_events_resource, and the resource JSON), which the resource filters now read; it
-- was a third of the table's rows and of the index entries written with every state change.
DELETE FROM event_resources WHERE role = '';

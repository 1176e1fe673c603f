-- The UI's run list and dashboard over a million runs.
-- Tags: a flow run's tags are a JSON array, which a filter can only read row by row (json_each). flow_run_tags holds one
-- row per (tag, run), kept by triggers, so a tag filter is an index range: the run-list query reads it instead of
-- the array. Only flow runs change here; a transition that keeps the tags skips the trigger (WHEN).
CREATE TABLE flow_run_tags (
    tag TEXT NOT NULL,
    flow_run_id TEXT NOT NULL,
    PRIMARY KEY (tag, flow_run_id)
) WITHOUT ROWID;
CREATE INDEX ix_flow_run_tags_run ON flow_run_tags (flow_run_id);
INSERT OR IGNORE INTO flow_run_tags (tag, flow_run_id)
    SELECT tag.value, run.id FROM flow_runs AS run, json_each(run.tags) AS tag WHERE tag.type = 'text';

CREATE TRIGGER tr_flow_run_tags_insert AFTER INSERT ON flow_runs
BEGIN
    INSERT OR IGNORE INTO flow_run_tags (tag, flow_run_id) SELECT value, NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
END;

CREATE TRIGGER tr_flow_run_tags_update AFTER UPDATE OF tags ON flow_runs WHEN OLD.tags IS NOT NEW.tags
BEGIN
    DELETE FROM flow_run_tags WHERE flow_run_id = OLD.id;
    INSERT OR IGNORE INTO flow_run_tags (tag, flow_run_id) SELECT value, NEW.id FROM json_each(NEW.tags) WHERE type = 'text';
END;

CREATE TRIGGER tr_flow_run_tags_delete AFTER DELETE ON flow_runs
BEGIN
    DELETE FROM flow_run_tags WHERE flow_run_id = OLD.id;
END;

-- Sorting by end time ("Ended, newest first") walks this index instead of sorting every run.
CREATE INDEX ix_flow_runs_end_time ON flow_runs (end_time);

-- The UI's run list and dashboard over a million runs.
-- Sorting: the run list sorts "DESC NULLS LAST", which a plain (ASC NULLS LAST) index read backwards does not give
-- (backwards is DESC NULLS FIRST), so every sort fell back to sorting all matching runs. These indexes are in the
-- order of the default sort (newest expected start first), per state for the state filter, and by end time.
CREATE INDEX ix_flow_runs_expected_desc ON flow_runs (expected_start_time DESC NULLS LAST, id DESC);
CREATE INDEX ix_flow_runs_state_expected_desc ON flow_runs (state_type, expected_start_time DESC NULLS LAST, id DESC);
DROP INDEX ix_flow_runs_state_expected;
CREATE INDEX ix_flow_runs_start_desc ON flow_runs (start_time DESC NULLS LAST, id DESC);
DROP INDEX ix_flow_runs_start_time;
CREATE INDEX ix_flow_runs_end_desc ON flow_runs (end_time DESC NULLS LAST, id DESC);

-- Name search ("contains", ILIKE '%text%') through a trigram index, when the server has pg_trgm (a trusted extension
-- of PostgreSQL's contrib, installed with the server packages). Without it, without the right to create it, or with
-- it installed in a schema out of the search path, the index is left out and the search reads the table: slower,
-- still correct.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX ix_flow_runs_name_trgm ON flow_runs USING GIN (name gin_trgm_ops);
    END IF;
EXCEPTION WHEN insufficient_privilege OR undefined_object OR undefined_file OR feature_not_supported THEN
    RAISE NOTICE 'pg_trgm could not be created (%): flow-run name search reads the table', SQLERRM;
END
$$;

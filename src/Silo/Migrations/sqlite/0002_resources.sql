-- Resources beside the runs: blocks (types, schemas, documents and their references), variables, artifacts and the
-- latest artifact per key, run logs and the UI's saved searches. Same conventions as 0001: ids as text, times as
-- fixed-width UTC text, JSON and tag lists as text, booleans as 0/1.
CREATE TABLE block_types (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    logo_url TEXT,
    documentation_url TEXT,
    description TEXT,
    code_example TEXT,
    is_protected INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX ix_block_types_name ON block_types (name);

CREATE TABLE block_schemas (
    id TEXT PRIMARY KEY,
    checksum TEXT NOT NULL,
    version TEXT NOT NULL,
    block_type_id TEXT NOT NULL,
    fields TEXT NOT NULL,
    capabilities TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_block_schemas_checksum_version ON block_schemas (checksum, version);
CREATE INDEX ix_block_schemas_block_type ON block_schemas (block_type_id);
CREATE INDEX ix_block_schemas_created ON block_schemas (created);

CREATE TABLE block_documents (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    block_type_id TEXT NOT NULL,
    block_schema_id TEXT NOT NULL,
    data TEXT NOT NULL,
    is_anonymous INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_block_documents_type_name ON block_documents (block_type_id, name);
CREATE INDEX ix_block_documents_schema ON block_documents (block_schema_id);
CREATE INDEX ix_block_documents_name ON block_documents (name);

CREATE TABLE block_document_references (
    id TEXT PRIMARY KEY,
    parent_block_document_id TEXT NOT NULL,
    reference_block_document_id TEXT NOT NULL,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_block_document_references_parent_name ON block_document_references (parent_block_document_id, name);
CREATE INDEX ix_block_document_references_reference ON block_document_references (reference_block_document_id);

CREATE TABLE variables (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE artifacts (
    id TEXT PRIMARY KEY,
    key TEXT,
    type TEXT,
    description TEXT,
    data TEXT,
    metadata TEXT,
    flow_run_id TEXT,
    task_run_id TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX ix_artifacts_key_created ON artifacts (key, created);
CREATE INDEX ix_artifacts_flow_run ON artifacts (flow_run_id);
CREATE INDEX ix_artifacts_task_run ON artifacts (task_run_id);

-- The latest artifact of each key, kept in step with `artifacts` by the same transactions.
CREATE TABLE artifact_collections (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    latest_id TEXT NOT NULL,
    type TEXT,
    description TEXT,
    data TEXT,
    metadata TEXT,
    flow_run_id TEXT,
    task_run_id TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

CREATE TABLE logs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    message TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    flow_run_id TEXT NOT NULL,
    task_run_id TEXT,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX ix_logs_flow_run_timestamp ON logs (flow_run_id, timestamp);
CREATE INDEX ix_logs_task_run ON logs (task_run_id);
CREATE INDEX ix_logs_timestamp ON logs (timestamp);

CREATE TABLE saved_searches (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    filters TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

-- Resources beside the runs: blocks (types, schemas, documents and their references), variables, artifacts and the
-- latest artifact per key, run logs and the UI's saved searches. Same conventions as 0001: uuid ids, timestamptz
-- times, JSON as text, tag and capability lists as text[].
CREATE TABLE block_types (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    logo_url TEXT,
    documentation_url TEXT,
    description TEXT,
    code_example TEXT,
    is_protected BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_block_types_name ON block_types (name);

CREATE TABLE block_schemas (
    id UUID PRIMARY KEY,
    checksum TEXT NOT NULL,
    version TEXT NOT NULL,
    block_type_id UUID NOT NULL,
    fields TEXT NOT NULL,
    capabilities TEXT[] NOT NULL DEFAULT '{}',
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ux_block_schemas_checksum_version ON block_schemas (checksum, version);
CREATE INDEX ix_block_schemas_block_type ON block_schemas (block_type_id);
CREATE INDEX ix_block_schemas_created ON block_schemas (created);

CREATE TABLE block_documents (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    block_type_id UUID NOT NULL,
    block_schema_id UUID NOT NULL,
    data TEXT NOT NULL,
    is_anonymous BOOLEAN NOT NULL DEFAULT FALSE,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ux_block_documents_type_name ON block_documents (block_type_id, name);
CREATE INDEX ix_block_documents_schema ON block_documents (block_schema_id);
CREATE INDEX ix_block_documents_name ON block_documents (name);

CREATE TABLE block_document_references (
    id UUID PRIMARY KEY,
    parent_block_document_id UUID NOT NULL,
    reference_block_document_id UUID NOT NULL,
    name TEXT NOT NULL,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX ux_block_document_references_parent_name ON block_document_references (parent_block_document_id, name);
CREATE INDEX ix_block_document_references_reference ON block_document_references (reference_block_document_id);

CREATE TABLE variables (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    value TEXT NOT NULL,
    tags TEXT[] NOT NULL DEFAULT '{}',
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);

CREATE TABLE artifacts (
    id UUID PRIMARY KEY,
    key TEXT,
    type TEXT,
    description TEXT,
    data TEXT,
    metadata TEXT,
    flow_run_id UUID,
    task_run_id UUID,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_artifacts_key_created ON artifacts (key, created);
CREATE INDEX ix_artifacts_flow_run ON artifacts (flow_run_id);
CREATE INDEX ix_artifacts_task_run ON artifacts (task_run_id);

-- The latest artifact of each key, kept in step with `artifacts` by the same transactions.
CREATE TABLE artifact_collections (
    id UUID PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    latest_id UUID NOT NULL,
    type TEXT,
    description TEXT,
    data TEXT,
    metadata TEXT,
    flow_run_id UUID,
    task_run_id UUID,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);

CREATE TABLE logs (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    message TEXT NOT NULL,
    timestamp TIMESTAMPTZ NOT NULL,
    flow_run_id UUID NOT NULL,
    task_run_id UUID,
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_logs_flow_run_timestamp ON logs (flow_run_id, timestamp);
CREATE INDEX ix_logs_task_run ON logs (task_run_id);
CREATE INDEX ix_logs_timestamp ON logs (timestamp);

CREATE TABLE saved_searches (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    filters TEXT NOT NULL DEFAULT '[]',
    created TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_variables_tags ON variables USING GIN (tags);

-- API keys (issue 13). Only the SHA-256 of a key is kept: the key itself is shown once, when it is created. A key is
-- refused once revoked or past its expiry; rows stay so a listing shows who had access and until when.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT,
    revoked TEXT
);

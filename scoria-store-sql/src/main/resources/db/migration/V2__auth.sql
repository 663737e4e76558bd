-- Token auth (workspace signing keys), workspace identity, and per-service CORS origins.
ALTER TABLE services ADD COLUMN cors_origins TEXT NOT NULL DEFAULT '[]';

CREATE TABLE workspace_settings (
    name   VARCHAR(64) NOT NULL PRIMARY KEY,
    value  TEXT        NOT NULL
);

CREATE TABLE signing_keys (
    kid          VARCHAR(64) NOT NULL PRIMARY KEY,
    algorithm    VARCHAR(16) NOT NULL,
    private_key  TEXT        NOT NULL,
    public_key   TEXT        NOT NULL,
    created_at   BIGINT      NOT NULL,
    retired_at   BIGINT
);

-- The last version handed out per model name, so that a deleted version's number is never reused.
CREATE TABLE model_names (
    name          VARCHAR(255) NOT NULL PRIMARY KEY,
    last_version  INTEGER      NOT NULL
);
INSERT INTO model_names (name, last_version) SELECT name, MAX(version) FROM models GROUP BY name;

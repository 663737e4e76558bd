-- Written to run unchanged on SQLite and PostgreSQL: no engine-specific types, times as epoch millis.
CREATE TABLE models (
    name         VARCHAR(255) NOT NULL,
    version      INTEGER      NOT NULL,
    framework    VARCHAR(64)  NOT NULL,
    description  TEXT         NOT NULL,
    tags         TEXT         NOT NULL,
    properties   TEXT         NOT NULL,
    files        TEXT         NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    created_at   BIGINT       NOT NULL,
    PRIMARY KEY (name, version)
);

CREATE TABLE services (
    name                  VARCHAR(32)  NOT NULL PRIMARY KEY,
    description           TEXT         NOT NULL,
    tags                  TEXT         NOT NULL,
    properties            TEXT         NOT NULL,
    runtime               VARCHAR(32)  NOT NULL,
    auth_mode             VARCHAR(16)  NOT NULL,
    primary_key           TEXT         NOT NULL,
    secondary_key         TEXT         NOT NULL,
    scoring_timeout_ms    INTEGER      NOT NULL,
    max_concurrent        INTEGER      NOT NULL,
    max_queue_wait_ms     INTEGER      NOT NULL,
    input_example         TEXT,
    state                 VARCHAR(16)  NOT NULL,
    error                 TEXT,
    created_at            BIGINT       NOT NULL,
    updated_at            BIGINT       NOT NULL
);

CREATE TABLE service_models (
    service_name   VARCHAR(32)  NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    position       INTEGER      NOT NULL,
    model_name     VARCHAR(255) NOT NULL,
    model_version  INTEGER      NOT NULL,
    PRIMARY KEY (service_name, position),
    FOREIGN KEY (model_name, model_version) REFERENCES models (name, version)
);

CREATE INDEX service_models_by_model ON service_models (model_name, model_version);

CREATE TABLE operations (
    id            VARCHAR(36)  NOT NULL PRIMARY KEY,
    service_name  VARCHAR(32)  NOT NULL,
    type          VARCHAR(16)  NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    error         TEXT,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);

-- Replicas sharing one workspace (PostgreSQL), what each reports, blobs and logs kept in the database.
-- ${blob_type} and ${serial_id} are BYTEA / BIGSERIAL PRIMARY KEY on PostgreSQL, BLOB / INTEGER
-- PRIMARY KEY AUTOINCREMENT on SQLite; everything else runs unchanged on both.

-- Counts what must be loaded (models, runtime, code): a replica loads a new generation beside the old one.
ALTER TABLE services ADD COLUMN generation BIGINT NOT NULL DEFAULT 1;
-- The generation an operation waits for every live replica to load.
ALTER TABLE operations ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
CREATE INDEX operations_running ON operations (state, service_name);

CREATE TABLE replicas (
    id            VARCHAR(255) NOT NULL PRIMARY KEY,
    address       TEXT         NOT NULL,
    version       VARCHAR(64)  NOT NULL,
    started_at    BIGINT       NOT NULL,
    heartbeat_at  BIGINT       NOT NULL
);

CREATE TABLE replica_services (
    replica_id    VARCHAR(255) NOT NULL,
    service_name  VARCHAR(32)  NOT NULL,
    generation    BIGINT       NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    error         TEXT,
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (replica_id, service_name)
);

CREATE TABLE blobs (
    sha256      CHAR(64) NOT NULL PRIMARY KEY,
    size_bytes  BIGINT   NOT NULL,
    chunks      INTEGER  NOT NULL
);

CREATE TABLE blob_chunks (
    sha256  CHAR(64)      NOT NULL,
    seq     INTEGER       NOT NULL,
    data    ${blob_type}  NOT NULL,
    PRIMARY KEY (sha256, seq)
);

CREATE TABLE service_log_lines (
    id            ${serial_id},
    service_name  VARCHAR(32)  NOT NULL,
    replica_id    VARCHAR(255) NOT NULL,
    at            BIGINT       NOT NULL,
    level         VARCHAR(8)   NOT NULL,
    message       TEXT         NOT NULL
);
CREATE INDEX service_log_lines_by_service ON service_log_lines (service_name, id);

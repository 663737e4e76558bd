-- Access tokens with a role (reader, deployer, keys, admin), limited to service-name patterns and with an
-- expiry; only the sha256 of a token's secret part is kept. And the audit log of management calls, which
-- holds no secret: who (credential id and role), what (method, path, service or model), when, the status.
CREATE TABLE access_tokens (
    id             VARCHAR(32)  NOT NULL PRIMARY KEY,
    role           VARCHAR(16)  NOT NULL,
    services       TEXT         NOT NULL,
    description    TEXT         NOT NULL,
    created_at     BIGINT       NOT NULL,
    expires_at     BIGINT,
    revoked_at     BIGINT,
    created_by     VARCHAR(32)  NOT NULL,
    secret_sha256  CHAR(64)     NOT NULL
);

CREATE TABLE audit_log (
    id             ${serial_id},
    at             BIGINT        NOT NULL,
    credential_id  VARCHAR(32),
    role           VARCHAR(16),
    method         TEXT          NOT NULL,
    path           TEXT          NOT NULL,
    service_name   TEXT,
    model          TEXT,
    status         INTEGER       NOT NULL,
    replica_id     VARCHAR(255)  NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at);

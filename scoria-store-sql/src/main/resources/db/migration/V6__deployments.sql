-- Deployments within a service (blue/green rollouts, traffic split, mirror traffic). Each deployment has
-- its own runtime, code, limits, samples and models; the service keeps its name, description, labels, auth,
-- keys, CORS and state, and says how its traffic is shared. A service made by an earlier version becomes one
-- deployment named 'default' that takes all of its traffic.
CREATE TABLE deployments (
    service_name        VARCHAR(32)  NOT NULL REFERENCES services (name) ON DELETE CASCADE,
    name                VARCHAR(32)  NOT NULL,
    position            INTEGER      NOT NULL,
    runtime             VARCHAR(32)  NOT NULL,
    code_file           TEXT,
    entry_point         TEXT,
    scorer_config       TEXT         NOT NULL,
    scoring_timeout_ms  INTEGER      NOT NULL,
    max_concurrent      INTEGER      NOT NULL,
    max_queue_wait_ms   INTEGER      NOT NULL,
    max_batch_size      INTEGER      NOT NULL,
    max_batch_delay_us  INTEGER      NOT NULL,
    input_example       TEXT,
    output_example      TEXT,
    swagger             TEXT,
    generation          BIGINT       NOT NULL,
    created_at          BIGINT       NOT NULL,
    PRIMARY KEY (service_name, name)
);

INSERT INTO deployments (service_name, name, position, runtime, code_file, entry_point, scorer_config,
        scoring_timeout_ms, max_concurrent, max_queue_wait_ms, max_batch_size, max_batch_delay_us, input_example,
        output_example, swagger, generation, created_at)
    SELECT name, 'default', 0, runtime, code_file, entry_point, scorer_config, scoring_timeout_ms, max_concurrent,
        max_queue_wait_ms, max_batch_size, max_batch_delay_us, input_example, output_example, swagger, generation,
        created_at
    FROM services;

CREATE TABLE deployment_models (
    service_name   VARCHAR(32)  NOT NULL,
    deployment     VARCHAR(32)  NOT NULL,
    position       INTEGER      NOT NULL,
    model_name     VARCHAR(255) NOT NULL,
    model_version  INTEGER      NOT NULL,
    PRIMARY KEY (service_name, deployment, position),
    FOREIGN KEY (service_name, deployment) REFERENCES deployments (service_name, name) ON DELETE CASCADE,
    FOREIGN KEY (model_name, model_version) REFERENCES models (name, version)
);

INSERT INTO deployment_models (service_name, deployment, position, model_name, model_version)
    SELECT service_name, 'default', position, model_name, model_version FROM service_models;

DROP TABLE service_models;

-- Live traffic as a JSON object of deployment name to percentage; the mirror as a deployment and a percentage.
ALTER TABLE services ADD COLUMN traffic TEXT NOT NULL DEFAULT '{"default":100}';
ALTER TABLE services ADD COLUMN mirror_deployment VARCHAR(32);
ALTER TABLE services ADD COLUMN mirror_percent INTEGER NOT NULL DEFAULT 0;

ALTER TABLE services DROP COLUMN runtime;
ALTER TABLE services DROP COLUMN code_file;
ALTER TABLE services DROP COLUMN entry_point;
ALTER TABLE services DROP COLUMN scorer_config;
ALTER TABLE services DROP COLUMN scoring_timeout_ms;
ALTER TABLE services DROP COLUMN max_concurrent;
ALTER TABLE services DROP COLUMN max_queue_wait_ms;
ALTER TABLE services DROP COLUMN max_batch_size;
ALTER TABLE services DROP COLUMN max_batch_delay_us;
ALTER TABLE services DROP COLUMN input_example;
ALTER TABLE services DROP COLUMN output_example;
ALTER TABLE services DROP COLUMN swagger;
ALTER TABLE services DROP COLUMN generation;

-- An operation waits for one deployment's generation.
ALTER TABLE operations ADD COLUMN deployment VARCHAR(32);

-- Replicas report per deployment. Reports are not kept across versions: every live replica writes its own
-- again within a second.
DROP TABLE replica_services;
CREATE TABLE replica_services (
    replica_id    VARCHAR(255) NOT NULL,
    service_name  VARCHAR(32)  NOT NULL,
    deployment    VARCHAR(32)  NOT NULL,
    generation    BIGINT       NOT NULL,
    state         VARCHAR(16)  NOT NULL,
    error         TEXT,
    updated_at    BIGINT       NOT NULL,
    PRIMARY KEY (replica_id, service_name, deployment)
);

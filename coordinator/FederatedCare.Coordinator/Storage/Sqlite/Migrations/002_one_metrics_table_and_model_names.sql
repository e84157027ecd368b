-- Federated and cross-site metrics in one table (kind 0: a round's global model, label ''; kind 1: a cross-site cell
-- of a labelled model), and one table of model names -> SHA-256 for every model file of a job, global models
-- (round-<r>, whose files already have that name) included.
CREATE TABLE metric_rows (
    job_id       TEXT NOT NULL,
    kind         INTEGER NOT NULL,
    model_label  TEXT NOT NULL,
    round        INTEGER NOT NULL,
    region       TEXT NOT NULL,
    split        TEXT NOT NULL,
    num_examples INTEGER NOT NULL,
    loss         REAL NOT NULL,
    accuracy     REAL NOT NULL,
    extra        TEXT NOT NULL,
    PRIMARY KEY (job_id, kind, model_label, round, region, split)
);
INSERT INTO metric_rows (job_id, kind, model_label, round, region, split, num_examples, loss, accuracy, extra)
    SELECT job_id, 0, '', round, region, split, num_examples, loss, accuracy, extra FROM metrics;
INSERT INTO metric_rows (job_id, kind, model_label, round, region, split, num_examples, loss, accuracy, extra)
    SELECT job_id, 1, model_label, round, region, split, num_examples, loss, accuracy, extra FROM cross_site;
DROP TABLE metrics;
DROP TABLE cross_site;
ALTER TABLE metric_rows RENAME TO metrics;

CREATE TABLE model_names (
    job_id  TEXT NOT NULL,
    name    TEXT NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (job_id, name)
);
INSERT INTO model_names (job_id, name, sha256) SELECT job_id, name, sha256 FROM tensor_sets;
INSERT INTO model_names (job_id, name, sha256) SELECT job_id, 'round-' || round, model_sha256 FROM rounds WHERE true
    ON CONFLICT (job_id, name) DO NOTHING;
DROP TABLE tensor_sets;
CREATE INDEX model_names_sha ON model_names (job_id, sha256);

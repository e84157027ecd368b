-- The schema before versioned migrations, unchanged (IF NOT EXISTS: a database of that time is already at version 1).
-- Times are Unix milliseconds, job specs protobuf bytes, participants and extra metrics JSON.
CREATE TABLE IF NOT EXISTS jobs (
    job_id        TEXT PRIMARY KEY,
    spec          BLOB NOT NULL,
    state         INTEGER NOT NULL,
    current_round INTEGER NOT NULL,
    message       TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rounds (
    job_id           TEXT NOT NULL,
    round            INTEGER NOT NULL,
    model_sha256     TEXT NOT NULL,
    participants     TEXT NOT NULL,
    num_examples     INTEGER NOT NULL,
    duration_seconds REAL NOT NULL,
    completed_at     INTEGER,
    PRIMARY KEY (job_id, round)
);
CREATE TABLE IF NOT EXISTS round_privacy (
    job_id        TEXT NOT NULL,
    round         INTEGER NOT NULL,
    epsilon       REAL NOT NULL,
    delta         REAL NOT NULL,
    rdp_order     INTEGER NOT NULL,
    sampling_rate REAL NOT NULL,
    noise_stddev  REAL NOT NULL,
    PRIMARY KEY (job_id, round)
);
CREATE TABLE IF NOT EXISTS metrics (
    job_id       TEXT NOT NULL,
    round        INTEGER NOT NULL,
    region       TEXT NOT NULL,
    split        TEXT NOT NULL,
    num_examples INTEGER NOT NULL,
    loss         REAL NOT NULL,
    accuracy     REAL NOT NULL,
    extra        TEXT NOT NULL,
    PRIMARY KEY (job_id, round, region, split)
);
CREATE TABLE IF NOT EXISTS tensor_sets (
    job_id  TEXT NOT NULL,
    name    TEXT NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (job_id, name)
);
CREATE INDEX IF NOT EXISTS tensor_sets_sha ON tensor_sets (job_id, sha256);
CREATE TABLE IF NOT EXISTS cross_site (
    job_id       TEXT NOT NULL,
    model_label  TEXT NOT NULL,
    region       TEXT NOT NULL,
    split        TEXT NOT NULL,
    round        INTEGER NOT NULL,
    num_examples INTEGER NOT NULL,
    loss         REAL NOT NULL,
    accuracy     REAL NOT NULL,
    extra        TEXT NOT NULL,
    PRIMARY KEY (job_id, model_label, region, split)
);
CREATE TABLE IF NOT EXISTS audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    time    INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    job_id  TEXT,
    round   INTEGER,
    detail  TEXT NOT NULL
);

-- The PostgreSQL schema, the same tables as SQLite's version 2. Text compares bytewise (COLLATE "C"), as SQLite's
-- BINARY does, so both list rows in the same order. Times are Unix milliseconds, job specs protobuf bytes,
-- participants and extra metrics JSON text (not jsonb, which would reorder the keys).
CREATE TABLE jobs (
    job_id        TEXT COLLATE "C" PRIMARY KEY,
    seq           BIGINT GENERATED ALWAYS AS IDENTITY,
    spec          BYTEA NOT NULL,
    state         INTEGER NOT NULL,
    current_round INTEGER NOT NULL,
    message       TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE TABLE rounds (
    job_id           TEXT COLLATE "C" NOT NULL,
    round            INTEGER NOT NULL,
    model_sha256     TEXT NOT NULL,
    participants     TEXT NOT NULL,
    num_examples     BIGINT NOT NULL,
    duration_seconds DOUBLE PRECISION NOT NULL,
    completed_at     BIGINT,
    PRIMARY KEY (job_id, round)
);
CREATE TABLE round_privacy (
    job_id        TEXT COLLATE "C" NOT NULL,
    round         INTEGER NOT NULL,
    epsilon       DOUBLE PRECISION NOT NULL,
    delta         DOUBLE PRECISION NOT NULL,
    rdp_order     INTEGER NOT NULL,
    sampling_rate DOUBLE PRECISION NOT NULL,
    noise_stddev  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (job_id, round)
);
CREATE TABLE metrics (
    job_id       TEXT COLLATE "C" NOT NULL,
    kind         INTEGER NOT NULL,
    model_label  TEXT COLLATE "C" NOT NULL,
    round        INTEGER NOT NULL,
    region       TEXT COLLATE "C" NOT NULL,
    split        TEXT COLLATE "C" NOT NULL,
    num_examples BIGINT NOT NULL,
    loss         DOUBLE PRECISION NOT NULL,
    accuracy     DOUBLE PRECISION NOT NULL,
    extra        TEXT NOT NULL,
    PRIMARY KEY (job_id, kind, model_label, round, region, split)
);
CREATE TABLE model_names (
    job_id  TEXT COLLATE "C" NOT NULL,
    name    TEXT COLLATE "C" NOT NULL,
    sha256  TEXT NOT NULL,
    PRIMARY KEY (job_id, name)
);
CREATE INDEX model_names_sha ON model_names (job_id, sha256);
CREATE TABLE audit (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    time    BIGINT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    job_id  TEXT COLLATE "C",
    round   INTEGER,
    detail  TEXT NOT NULL
);

-- The results of analysis jobs (JobSpec.analysis): one row per (job, step), the AnalysisResult as protobuf bytes.
CREATE TABLE analysis_results (
    job_id  TEXT COLLATE "C" NOT NULL,
    step    INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    result  BYTEA NOT NULL,
    PRIMARY KEY (job_id, step)
);

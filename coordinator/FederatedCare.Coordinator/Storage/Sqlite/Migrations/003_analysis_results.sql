-- The results of analysis jobs (JobSpec.analysis): one row per (job, step), the AnalysisResult as protobuf bytes.
CREATE TABLE analysis_results (
    job_id  TEXT NOT NULL,
    step    INTEGER NOT NULL,
    kind    TEXT NOT NULL,
    result  BLOB NOT NULL,
    PRIMARY KEY (job_id, step)
);

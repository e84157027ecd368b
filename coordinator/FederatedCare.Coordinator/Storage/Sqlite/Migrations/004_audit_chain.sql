-- The audit table becomes a hash chain (AuditChain): seq 1, 2, 3… in append order, each entry's hash over its
-- columns and the previous entry's hash. Rows written before this migration are chained, in id order, when the
-- store opens (SqlAuditRepository.ChainUnchainedAsync).
ALTER TABLE audit ADD COLUMN seq INTEGER;
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_seq ON audit (seq);
CREATE INDEX audit_unchained ON audit (id) WHERE seq IS NULL;

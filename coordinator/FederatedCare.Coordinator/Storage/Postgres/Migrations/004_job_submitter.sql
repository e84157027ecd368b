-- Who submitted each job (the operator's certificate name with mutual TLS; empty without): regions' policies read it.
ALTER TABLE jobs ADD COLUMN submitted_by TEXT NOT NULL DEFAULT '';

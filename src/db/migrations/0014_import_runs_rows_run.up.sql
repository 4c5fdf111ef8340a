-- A run that recognised an unchanged file (imports.same-file.ts) does not rewrite the
-- source's raw rows to point at itself (50,000 wide rows rewritten took most of the re-import):
-- it names the run whose rows it saw, and their last_run_id stays that run's.
ALTER TABLE import_runs ADD COLUMN rows_run_id uuid;

ALTER TABLE import_runs DROP COLUMN IF EXISTS rows_run_id;

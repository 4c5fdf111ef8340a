ALTER TABLE import_runs DROP COLUMN file_hash;

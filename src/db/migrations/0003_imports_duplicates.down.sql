ALTER TABLE import_runs DROP COLUMN IF EXISTS duplicates;
DROP TABLE IF EXISTS lieu_duplicates;

ALTER TABLE import_runs DROP COLUMN IF EXISTS geocoding;
DROP TABLE IF EXISTS geocoding_cache;

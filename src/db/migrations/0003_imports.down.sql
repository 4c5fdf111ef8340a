DROP TABLE IF EXISTS lieu_field_provenance;
DROP TABLE IF EXISTS lieu_sources;
DROP TABLE IF EXISTS import_errors;
DROP TABLE IF EXISTS import_rows;
DROP TABLE IF EXISTS import_runs;
DROP TABLE IF EXISTS sources;

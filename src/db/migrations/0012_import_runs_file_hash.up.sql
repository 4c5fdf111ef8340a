-- SHA-256 of the file a run read (with the format and mapping): a feed re-sent unchanged is
-- recognised without reading it again (imports.same-file.ts).
ALTER TABLE import_runs ADD COLUMN file_hash text;

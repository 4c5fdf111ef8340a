-- Import runs count the new records attached to a place another source already lists
-- (a strong duplicate) instead of creating a second place.
ALTER TABLE import_runs ADD COLUMN merged integer NOT NULL DEFAULT 0;

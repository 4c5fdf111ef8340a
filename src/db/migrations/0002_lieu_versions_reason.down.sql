ALTER TABLE lieu_versions DROP COLUMN reason;

-- A creation's changes are every field of its snapshot (from empty to the value): they are no
-- longer stored but derived when read (versionChanges in lieux.use-cases.ts), which halves
-- the history an import writes. Every other version keeps its changes; versions written
-- before this migration keep theirs too.
ALTER TABLE lieu_versions ALTER COLUMN changes DROP NOT NULL;
ALTER TABLE lieu_versions ADD CONSTRAINT lieu_versions_changes_check CHECK (changes IS NOT NULL OR action = 'create');

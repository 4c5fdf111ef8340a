DROP INDEX IF EXISTS sources_next_sync_at;
ALTER TABLE sources DROP COLUMN IF EXISTS next_sync_at;

-- Scheduled syncs (issue 3, item 8): when each scheduled source is next due. The scheduler
-- moves it forward with a compare-and-set before enqueuing, so one due slot gives one job
-- even with several processes. The jobs themselves live in pg-boss's own schema.
ALTER TABLE sources ADD COLUMN next_sync_at timestamptz;
CREATE INDEX sources_next_sync_at ON sources (next_sync_at) WHERE schedule IS NOT NULL;

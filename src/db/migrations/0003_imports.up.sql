-- Federation: sources of places, import runs with their raw rows and errors, which source
-- gave which place (and under which id), and which source gave each field value.

CREATE TABLE sources (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
  producer text NOT NULL,
  -- null: detected from each file
  format text,
  -- file path or URL of the feed
  location text,
  -- declarative mapping (JSON) for CSV/XLSX that do not follow the standard
  mapping jsonb,
  -- higher wins when two sources give different values for one place
  priority integer NOT NULL DEFAULT 100,
  -- cron expression of scheduled syncs; null: on demand only
  schedule text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE import_runs (
  id uuid PRIMARY KEY,
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed', 'dry_run')),
  file_name text,
  format text,
  encoding text,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  read integer NOT NULL DEFAULT 0,
  accepted integer NOT NULL DEFAULT 0,
  rejected integer NOT NULL DEFAULT 0,
  new integer NOT NULL DEFAULT 0,
  updated integer NOT NULL DEFAULT 0,
  unchanged integer NOT NULL DEFAULT 0,
  -- places that lost this source because they were missing from the feed
  removed integer NOT NULL DEFAULT 0,
  -- places unpublished because no source has listed them for the grace period
  unpublished integer NOT NULL DEFAULT 0,
  warnings integer NOT NULL DEFAULT 0,
  -- French message of a failed run
  error text
);
CREATE INDEX import_runs_source_idx ON import_runs (source_id, started_at DESC);

-- The latest raw row of each record of a source, with its content hash: an unchanged row
-- is recognised without mapping or validating it again.
CREATE TABLE import_rows (
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  -- the record's id in the source, or a key derived from its name and postal code
  external_id text NOT NULL,
  content_hash text NOT NULL,
  raw jsonb NOT NULL,
  -- the place it produced; null while the row is rejected
  lieu_id uuid REFERENCES lieux (id) ON DELETE SET NULL,
  last_run_id uuid NOT NULL,
  PRIMARY KEY (source_id, external_id)
);

CREATE TABLE import_errors (
  id bigserial PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
  row integer NOT NULL,
  field text NOT NULL,
  value text,
  message text NOT NULL,
  severity text NOT NULL DEFAULT 'error' CHECK (severity IN ('error', 'warning'))
);
CREATE INDEX import_errors_run_idx ON import_errors (run_id, row);

-- Which source lists which place, under which id; removed_at is set when the place goes
-- missing from the source's latest feed (the place is not deleted).
CREATE TABLE lieu_sources (
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  external_id text NOT NULL,
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  removed_at timestamptz,
  PRIMARY KEY (source_id, external_id)
);
CREATE INDEX lieu_sources_lieu_idx ON lieu_sources (lieu_id);

-- Per-field provenance: which source gave the current value of each field, and when.
CREATE TABLE lieu_field_provenance (
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  field text NOT NULL,
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  run_id uuid NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (lieu_id, field)
);

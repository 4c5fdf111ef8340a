-- Likely duplicates found by import runs, waiting for a person to confirm or reject them.
-- Pairs are stored once (lieu_a < lieu_b); a confirmed or rejected pair keeps its status when
-- a later run finds it again.
CREATE TABLE lieu_duplicates (
  lieu_a uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  lieu_b uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  score integer NOT NULL,
  -- what the scorer would do: merge (strong) or review (uncertain)
  decision text NOT NULL CHECK (decision IN ('merge', 'review')),
  signals jsonb NOT NULL,
  reason text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'rejected')),
  found_run_id uuid,
  found_at timestamptz NOT NULL,
  PRIMARY KEY (lieu_a, lieu_b),
  CHECK (lieu_a < lieu_b)
);
CREATE INDEX lieu_duplicates_pending_idx ON lieu_duplicates (score DESC) WHERE status = 'pending';

ALTER TABLE import_runs ADD COLUMN duplicates integer NOT NULL DEFAULT 0;

-- Conflict rules and reversible merges (docs/imports.md, "Conflict rules" and "Merge and split").

-- The last value each contributor gave for each field of a place: a source
-- ('source:<uuid>'), an account ('account:<id>') or a value of unknown origin ('registry').
-- A field's value is recomputed from these, so a source can withdraw its own value
-- without losing another's.
CREATE TABLE lieu_field_contributions (
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  field text NOT NULL,
  contributor text NOT NULL,
  source_id uuid REFERENCES sources (id) ON DELETE CASCADE,
  -- JSON of the value given (null, text, number or list of text)
  value jsonb NOT NULL,
  given_at timestamptz NOT NULL,
  run_id uuid,
  PRIMARY KEY (lieu_id, field, contributor)
);
CREATE INDEX lieu_field_contributions_source_idx ON lieu_field_contributions (source_id);

-- Place B merged into place A: B is unpublished and points to A (merged_into) until a split.
-- `undo` keeps what the merge moved (links, contributions, provenance) to put it back.
CREATE TABLE lieu_merges (
  id uuid PRIMARY KEY,
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  merged_into uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  lieu_version_before integer NOT NULL,
  merged_into_version_before integer NOT NULL,
  merged_into_version_after integer NOT NULL,
  undo jsonb NOT NULL,
  actor_kind text NOT NULL,
  actor_id text,
  merged_at timestamptz NOT NULL,
  split_at timestamptz,
  split_actor_kind text,
  split_actor_id text,
  CHECK (lieu_id <> merged_into)
);
CREATE UNIQUE INDEX lieu_merges_active_idx ON lieu_merges (lieu_id) WHERE split_at IS NULL;
CREATE INDEX lieu_merges_into_idx ON lieu_merges (merged_into) WHERE split_at IS NULL;

-- Source values an import refused because an account (a place's manager, a moderator…) edited
-- the field: kept here so the manager sees them and decides (keep their value, or take the
-- source's). One open conflict per place, field and source, updated by later runs; a
-- resolved one stays as a record of the decision.
CREATE TABLE lieu_conflicts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  -- a standard field name (horaires, services…)
  field text NOT NULL,
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  -- what the source gives, and the value kept (the account's), as JSON (string, number or list)
  source_value jsonb,
  kept_value jsonb,
  -- the last import run that gave this value (no foreign key: the run row is written last)
  run_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  -- kept: the account's value stays; taken: the source's value became the account's edit
  resolution text CHECK (resolution IN ('kept', 'taken')),
  resolved_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
  resolved_at timestamptz,
  CHECK ((status = 'open') = (resolved_at IS NULL))
);
CREATE UNIQUE INDEX lieu_conflicts_open_idx ON lieu_conflicts (lieu_id, field, source_id) WHERE status = 'open';
CREATE INDEX lieu_conflicts_lieu_idx ON lieu_conflicts (lieu_id, status);

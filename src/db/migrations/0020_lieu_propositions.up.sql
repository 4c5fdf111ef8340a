-- New places proposed by signed-in accounts ("Proposer un lieu"): kept here, unpublished,
-- until a moderator accepts (the place is then created, lieu_id points to it) or rejects
-- (the proposal stays, with the reason).
CREATE TABLE lieu_propositions (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
  -- The record as proposed (standard field names), validated when it was submitted.
  record jsonb NOT NULL,
  nom text NOT NULL,
  commune text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by uuid REFERENCES accounts (id) ON DELETE SET NULL,
  -- The moderator's comment (the reason of a rejection), sent to the proposer.
  comment text CHECK (comment IS NULL OR char_length(comment) <= 2000),
  lieu_id uuid REFERENCES lieux (id) ON DELETE SET NULL
);
CREATE INDEX lieu_propositions_queue_idx ON lieu_propositions (created_at) WHERE status = 'pending';
CREATE INDEX lieu_propositions_account_idx ON lieu_propositions (account_id);

-- Claims of places by accounts ("Je gère ce lieu") and the comments of moderation decisions.
CREATE TABLE lieu_claims (
  id uuid PRIMARY KEY,
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
  -- Accepted at once because the account's e-mail domain is the place's website or e-mail domain.
  automatic boolean NOT NULL DEFAULT false,
  message text CHECK (message IS NULL OR char_length(message) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz,
  decided_by uuid REFERENCES accounts (id) ON DELETE SET NULL
);
-- One open claim per account and place.
CREATE UNIQUE INDEX lieu_claims_pending_uq ON lieu_claims (lieu_id, account_id) WHERE status = 'pending';
CREATE INDEX lieu_claims_queue_idx ON lieu_claims (created_at) WHERE status = 'pending';

-- Every moderation decision (claim, report, duplicate pair) with the moderator's comment.
CREATE TABLE moderation_comments (
  seq bigserial PRIMARY KEY,
  item_type text NOT NULL CHECK (item_type IN ('claim', 'report', 'duplicate')),
  item_id text NOT NULL,
  account_id uuid REFERENCES accounts (id) ON DELETE SET NULL,
  decision text NOT NULL,
  comment text CHECK (comment IS NULL OR char_length(comment) <= 2000),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_comments_item_idx ON moderation_comments (item_type, item_id);

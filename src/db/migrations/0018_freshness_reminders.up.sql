-- Freshness reminders e-mailed to place managers: one row per e-mail, so a place gets at
-- most one reminder per interval; the row also holds the one-click confirmation link's token
-- (only its SHA-256), its expiry and its single use.
CREATE TABLE freshness_reminders (
  id uuid PRIMARY KEY,
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('a_verifier', 'ancienne')),
  token_hash text NOT NULL UNIQUE,
  sent_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX freshness_reminders_lieu_idx ON freshness_reminders (lieu_id, sent_at);

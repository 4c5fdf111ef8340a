-- API keys of réseau and administrateur accounts, for the network API (PUT /api/v1/sources/{id}/lieux).
-- Only the SHA-256 of the key is stored; `prefix` (the first characters) lets people tell keys apart.
CREATE TABLE api_keys (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  label text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  -- NULL: every source the account may write; otherwise only these.
  source_ids uuid[],
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_keys_account_idx ON api_keys (account_id);

-- The last body a network pushed for a source and that had usable places: the same bytes
-- again are usable too (validation is per record), so the safety dry run is skipped for them.
CREATE TABLE source_pushes (
  source_id uuid PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
  body_sha256 text NOT NULL,
  pushed_at timestamptz NOT NULL
);

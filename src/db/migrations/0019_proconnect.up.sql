-- ProConnect (OpenID Connect) sign-in: which provider identity (`sub`) signs in as which account,
-- the short-lived state of a sign-in in progress, and the id_token of sessions opened through
-- ProConnect (needed as id_token_hint to sign out at the provider too).
CREATE TABLE proconnect_links (
  sub text PRIMARY KEY,
  account_id uuid NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
  linked_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz NOT NULL DEFAULT now()
);

-- One row per sign-in started; the browser holds the state in a cookie, only its SHA-256 is here.
CREATE TABLE proconnect_flows (
  state_hash text PRIMARY KEY,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX proconnect_flows_expires_idx ON proconnect_flows (expires_at);

CREATE TABLE proconnect_sessions (
  session_id_hash text PRIMARY KEY REFERENCES sessions (id_hash) ON DELETE CASCADE,
  id_token text NOT NULL
);

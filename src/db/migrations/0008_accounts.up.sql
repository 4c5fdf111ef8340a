-- Accounts, their scopes, sessions, single-use tokens and the audit log of account writes.
CREATE TABLE accounts (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('gestionnaire', 'reseau', 'agent_territorial', 'moderateur', 'administrateur')),
  email_verified_at timestamptz,
  failed_logins integer NOT NULL DEFAULT 0,
  first_failed_at timestamptz,
  locked_until timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- What an account looks after: places (lieu), sources (source) or a territory (commune, epci, departement, region).
CREATE TABLE account_scopes (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('lieu', 'source', 'commune', 'epci', 'departement', 'region')),
  code text NOT NULL,
  PRIMARY KEY (account_id, kind, code)
);

-- Only the SHA-256 of the cookie value is stored: a leaked table gives no usable session.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_account_idx ON sessions (account_id);

-- E-mail verification and password reset links: hash stored, expiring, single use.
CREATE TABLE account_tokens (
  token_hash text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify', 'reset')),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Who did what, when, from where. No e-mail here: the account id is enough.
CREATE TABLE audit_log (
  seq bigserial PRIMARY KEY,
  account_id uuid,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  ip text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

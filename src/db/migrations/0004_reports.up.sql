-- Public reports ("Signaler une erreur") on a place: no account, rate-limited per IP hash.
CREATE TABLE reports (
  id uuid PRIMARY KEY,
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  -- What is wrong, one of a short fixed list (see reports.schema.ts).
  kind text NOT NULL CHECK (kind IN ('horaires', 'coordonnees', 'adresse', 'services', 'ferme', 'autre')),
  message text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 2000),
  -- Optional, to answer the person; never logged.
  email text CHECK (email IS NULL OR char_length(email) <= 254),
  -- Salted SHA-256 of the client IP: enough to rate-limit, not to identify.
  ip_hash text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'rejected')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX reports_lieu_id_idx ON reports (lieu_id, created_at DESC);
CREATE INDEX reports_ip_hash_idx ON reports (ip_hash, created_at DESC);
CREATE INDEX reports_open_idx ON reports (created_at) WHERE status = 'open';

-- Registry of places, following the national standard v1 (field names verbatim).
-- Multi-valued fields are text arrays; our own columns are in English.
CREATE OR REPLACE FUNCTION maillage_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE TABLE lieux (
  id uuid PRIMARY KEY,
  pivot text NOT NULL,
  nom text NOT NULL,
  commune text NOT NULL,
  code_postal text NOT NULL,
  code_insee text,
  adresse text NOT NULL,
  complement_adresse text,
  latitude double precision,
  longitude double precision,
  typologie text[] NOT NULL DEFAULT '{}',
  telephone text,
  courriels text[] NOT NULL DEFAULT '{}',
  site_web text[] NOT NULL DEFAULT '{}',
  horaires text,
  presentation_resume text,
  presentation_detail text,
  source text,
  itinerance text[] NOT NULL DEFAULT '{}',
  structure_parente text,
  date_maj date NOT NULL,
  services text[] NOT NULL DEFAULT '{}',
  publics_specifiquement_adresses text[] NOT NULL DEFAULT '{}',
  prise_en_charge_specifique text[] NOT NULL DEFAULT '{}',
  frais_a_charge text[] NOT NULL DEFAULT '{}',
  dispositif_programmes_nationaux text[] NOT NULL DEFAULT '{}',
  formations_labels text[] NOT NULL DEFAULT '{}',
  autres_formations_labels text[] NOT NULL DEFAULT '{}',
  modalites_acces text[] NOT NULL DEFAULT '{}',
  modalites_accompagnement text[] NOT NULL DEFAULT '{}',
  fiche_acces_libre text,
  prise_rdv text,
  -- territory codes resolved from the commune
  code_epci text,
  code_departement text,
  code_region text,
  -- true when the position is the commune centre, not the address
  position_approximate boolean NOT NULL DEFAULT false,
  -- normalised words of nom and commune, and the normalised name used for sorting (search)
  search_tokens text[] NOT NULL DEFAULT '{}',
  sort_key text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'unpublished')),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((latitude IS NULL) = (longitude IS NULL)),
  CHECK (latitude IS NULL OR (latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180))
);

CREATE INDEX lieux_code_insee_idx ON lieux (code_insee);
CREATE INDEX lieux_code_epci_idx ON lieux (code_epci);
CREATE INDEX lieux_code_departement_idx ON lieux (code_departement);
CREATE INDEX lieux_code_region_idx ON lieux (code_region);
CREATE INDEX lieux_position_idx ON lieux (latitude, longitude);
CREATE INDEX lieux_pivot_idx ON lieux (pivot);
CREATE INDEX lieux_search_tokens_idx ON lieux USING gin (search_tokens);

-- Every change of a place: what changed, when, and who (a source, an account, the CLI).
CREATE TABLE lieu_versions (
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  version integer NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL CHECK (action IN ('create', 'update', 'unpublish', 'republish')),
  actor_kind text NOT NULL CHECK (actor_kind IN ('source', 'account', 'cli', 'system')),
  actor_id text,
  -- { field: { "from": old, "to": new } } for the fields that changed
  changes jsonb NOT NULL,
  -- the whole record after the change, so any version can be shown or restored
  snapshot jsonb NOT NULL,
  PRIMARY KEY (lieu_id, version)
);

-- Append-only log of registry changes: its sequence is the cursor of the public change
-- feed and the version that search read models compare against.
CREATE TABLE lieu_changes (
  seq bigserial PRIMARY KEY,
  lieu_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('added', 'updated', 'removed')),
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lieu_changes_lieu_idx ON lieu_changes (lieu_id);

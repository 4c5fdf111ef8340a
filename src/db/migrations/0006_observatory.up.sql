-- Politique de la ville and territorial observatory: QPV contours, the QPVs each place
-- lies in or near, and broadband / digital fragility reference figures.

-- One row per QPV (2015 list: QP… codes, 2024 list: QN… codes), contour kept as GeoJSON.
CREATE TABLE qpv (
  code text PRIMARY KEY,
  nom text NOT NULL,
  -- INSEE code of the main commune, when the source file gives it
  commune text,
  -- '2015' or '2024', from the code prefix
  liste text NOT NULL CHECK (liste IN ('2015', '2024')),
  population integer,
  -- [minLon, minLat, maxLon, maxLat]
  bbox double precision[] NOT NULL,
  geometry jsonb NOT NULL,
  source_file text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX qpv_commune_idx ON qpv (commune);

-- Computed: the QPV a place lies in ('dans', distance 0) and those within the configured
-- distance of its position ('proche', distance to the contour in metres).
CREATE TABLE lieu_qpv (
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  code_qp text NOT NULL REFERENCES qpv (code) ON DELETE CASCADE,
  relation text NOT NULL CHECK (relation IN ('dans', 'proche')),
  distance_m double precision NOT NULL,
  PRIMARY KEY (lieu_id, code_qp)
);
CREATE INDEX lieu_qpv_code_qp_idx ON lieu_qpv (code_qp);

-- Fixed very-high-speed (FttH) coverage per territory, with the vintage of the figure.
CREATE TABLE broadband_coverage (
  territory_type text NOT NULL CHECK (territory_type IN ('commune', 'epci', 'departement', 'region')),
  code text NOT NULL,
  nom text,
  locaux_raccordables integer,
  locaux integer,
  -- locaux_raccordables / locaux, 0..1 (null when the denominator is unknown)
  taux_ftth double precision,
  -- Arcep coverage class: 0, 5, 10, 25, 50, 80
  categorie integer,
  millesime text NOT NULL,
  source_file text NOT NULL,
  PRIMARY KEY (territory_type, code)
);

-- Digital fragility index (IFN, ANCT): 0-10 scores, 10 = most fragile.
CREATE TABLE digital_fragility (
  territory_type text NOT NULL CHECK (territory_type IN ('commune', 'epci')),
  code text NOT NULL,
  nom text,
  score_total double precision,
  score_absence_thd double precision,
  score_absence_4g double precision,
  score_pauvrete double precision,
  score_plus_65_ans double precision,
  score_non_diplomes double precision,
  millesime text NOT NULL,
  source_file text NOT NULL,
  PRIMARY KEY (territory_type, code)
);

DROP VIEW IF EXISTS lieu_field_provenance;

CREATE TABLE lieu_field_provenance (
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  field text NOT NULL,
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  run_id uuid NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (lieu_id, field)
);

INSERT INTO lieu_field_provenance (lieu_id, field, source_id, run_id, updated_at)
  SELECT DISTINCT ON (p.lieu_id, f.field) p.lieu_id, f.field, p.source_id, p.run_id, p.updated_at
  FROM lieu_provenance p CROSS JOIN LATERAL unnest(p.fields) AS f(field)
  ORDER BY p.lieu_id, f.field, p.updated_at DESC;

DROP TABLE lieu_provenance;

-- Per-field provenance stored as groups: one row per place and (source, run, time) with the
-- list of fields that source gave then, instead of one row per field. An import of 50,000
-- new places writes 50,000 rows instead of about a million. Readers keep the per-field
-- shape through the view lieu_field_provenance (one row per place and field).
CREATE TABLE lieu_provenance (
  lieu_id uuid NOT NULL REFERENCES lieux (id) ON DELETE CASCADE,
  source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  run_id uuid NOT NULL,
  updated_at timestamptz NOT NULL,
  fields text[] NOT NULL,
  PRIMARY KEY (lieu_id, source_id, run_id, updated_at)
);

INSERT INTO lieu_provenance (lieu_id, source_id, run_id, updated_at, fields)
  SELECT lieu_id, source_id, run_id, updated_at, array_agg(field ORDER BY field)
  FROM lieu_field_provenance
  GROUP BY lieu_id, source_id, run_id, updated_at;

DROP TABLE lieu_field_provenance;

CREATE VIEW lieu_field_provenance AS
  SELECT p.lieu_id, f.field, p.source_id, p.run_id, p.updated_at
  FROM lieu_provenance p CROSS JOIN LATERAL unnest(p.fields) AS f(field);

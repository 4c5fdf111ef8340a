-- Answers of the address geocoder (BAN), kept so that a re-import never asks twice for the
-- same address. One row per normalised address key (street address, postal code and the
-- INSEE code used as filter); `found` false records "not found" (retried after a while).
CREATE TABLE geocoding_cache (
  address_key text PRIMARY KEY,
  found boolean NOT NULL,
  latitude double precision,
  longitude double precision,
  -- the address as the BAN writes it
  label text,
  -- BAN relevance, 0 to 1
  score double precision,
  -- housenumber, street, locality or municipality
  type text,
  citycode text,
  geocoded_at timestamptz NOT NULL,
  CHECK (found = (latitude IS NOT NULL AND longitude IS NOT NULL AND score IS NOT NULL))
);

-- What the geocoding stage of a run did (counts and French notes), shown by the CLI and kept
-- with the run.
ALTER TABLE import_runs ADD COLUMN geocoding jsonb;

-- Places imported before geocoding existed and left at their commune centre: their raw rows
-- get a content hash that will not match, so the next run of their source processes them
-- again (and geocodes them) even if the file has not changed.
UPDATE import_rows SET content_hash = 'a-geocoder:' || import_rows.content_hash
FROM lieux
WHERE lieux.id = import_rows.lieu_id AND lieux.position_approximate;

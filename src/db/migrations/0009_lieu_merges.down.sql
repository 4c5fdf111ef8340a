DROP TABLE IF EXISTS lieu_merges;
DROP TABLE IF EXISTS lieu_field_contributions;

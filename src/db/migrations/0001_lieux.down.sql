DROP TABLE lieu_changes;
DROP TABLE lieu_versions;
DROP TABLE lieux;
DROP FUNCTION maillage_unaccent(text);

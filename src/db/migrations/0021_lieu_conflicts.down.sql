DROP TABLE IF EXISTS lieu_conflicts;

DROP TABLE IF EXISTS lieu_propositions;

DROP TABLE source_pushes;
DROP TABLE api_keys;

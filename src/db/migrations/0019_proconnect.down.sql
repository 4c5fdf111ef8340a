DROP TABLE IF EXISTS proconnect_sessions;
DROP TABLE IF EXISTS proconnect_flows;
DROP TABLE IF EXISTS proconnect_links;

DROP TABLE IF EXISTS digital_fragility;
DROP TABLE IF EXISTS broadband_coverage;
DROP TABLE IF EXISTS lieu_qpv;
DROP TABLE IF EXISTS qpv;

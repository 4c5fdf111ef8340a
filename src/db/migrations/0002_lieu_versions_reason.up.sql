-- Why a place was unpublished or republished (free French text from the operator), kept
-- with its version so the history tells it.
ALTER TABLE lieu_versions ADD COLUMN reason text;

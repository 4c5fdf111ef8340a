-- Stores again the changes of the creations written without them: every record field of the
-- snapshot that is not empty, from its empty value ([] for a list, false for
-- position_approximate, null otherwise), as versionChanges derives them.
UPDATE lieu_versions SET changes = COALESCE((
  SELECT jsonb_object_agg(key, jsonb_build_object(
    'from', CASE WHEN jsonb_typeof(value) = 'array' THEN '[]'::jsonb WHEN key = 'position_approximate' THEN 'false'::jsonb ELSE 'null'::jsonb END,
    'to', value))
  FROM jsonb_each(snapshot)
  WHERE key NOT IN ('id', 'status', 'created_at', 'updated_at') AND value NOT IN ('null'::jsonb, '[]'::jsonb, 'false'::jsonb)
), '{}'::jsonb)
WHERE changes IS NULL;
ALTER TABLE lieu_versions DROP CONSTRAINT lieu_versions_changes_check;
ALTER TABLE lieu_versions ALTER COLUMN changes SET NOT NULL;

DROP TABLE IF EXISTS moderation_comments;
DROP TABLE IF EXISTS lieu_claims;

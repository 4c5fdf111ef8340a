DROP TABLE IF EXISTS freshness_reminders;

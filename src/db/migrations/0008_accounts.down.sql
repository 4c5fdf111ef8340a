DROP TABLE audit_log;
DROP TABLE account_tokens;
DROP TABLE sessions;
DROP TABLE account_scopes;
DROP TABLE accounts;

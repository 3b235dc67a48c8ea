-- flyway:executeInTransaction=false
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email ON users (lower(email));
REINDEX INDEX CONCURRENTLY users_email_idx;

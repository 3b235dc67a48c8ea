CREATE INDEX CONCURRENTLY users_created ON users (created_at);

ALTER TABLE users ADD COLUMN handle text;
UPDATE users SET handle = split_part(email, '@', 1) WHERE handle IS NULL;
CREATE UNIQUE INDEX CONCURRENTLY users_handle_idx ON users (handle);

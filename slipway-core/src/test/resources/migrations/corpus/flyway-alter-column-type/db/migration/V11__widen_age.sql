ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint;

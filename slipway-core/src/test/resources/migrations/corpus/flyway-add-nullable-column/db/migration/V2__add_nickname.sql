-- nickname is optional; the old release never reads it
ALTER TABLE users ADD COLUMN nickname text;

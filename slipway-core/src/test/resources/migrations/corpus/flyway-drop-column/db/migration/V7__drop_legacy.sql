-- legacy was replaced by nickname in V2

ALTER TABLE users DROP COLUMN legacy;

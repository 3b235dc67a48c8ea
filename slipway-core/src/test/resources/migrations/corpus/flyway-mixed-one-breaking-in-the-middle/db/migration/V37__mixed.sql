-- shipping addresses get their own table
CREATE TABLE addresses (
    id        bigserial PRIMARY KEY,
    user_id   bigint NOT NULL REFERENCES users (id),
    line1     text NOT NULL
);
CREATE INDEX addresses_user ON addresses (user_id);
-- and the old column goes away at once (should have waited a release)
ALTER TABLE users
    DROP COLUMN address;
INSERT INTO address_kinds (name) VALUES ('home');

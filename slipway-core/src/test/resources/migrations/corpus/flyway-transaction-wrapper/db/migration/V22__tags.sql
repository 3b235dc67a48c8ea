BEGIN;

CREATE TABLE tags (
    id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE
);
CREATE INDEX tags_name_lower ON tags (lower(name));

COMMIT;

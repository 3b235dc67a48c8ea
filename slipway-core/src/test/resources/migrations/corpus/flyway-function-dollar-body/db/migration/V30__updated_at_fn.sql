CREATE FUNCTION set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
AS $fn$
BEGIN
    NEW.updated_at := now();  -- a semicolon; inside the body
    RETURN NEW;
END;
$fn$;

CREATE TABLE notes (id bigserial PRIMARY KEY, body text, updated_at timestamptz);

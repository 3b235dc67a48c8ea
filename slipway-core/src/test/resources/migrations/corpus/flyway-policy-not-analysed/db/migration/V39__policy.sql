ALTER TABLE documents ADD COLUMN owner_id bigint;
CREATE POLICY owner_only ON documents USING (owner_id = current_setting('app.user')::bigint);

INSERT INTO roles (name, description) VALUES
    ('admin', 'Can do everything; don''t hand out lightly'),
    ('member', 'Default role');
INSERT INTO roles (name) VALUES ('auditor') ON CONFLICT DO NOTHING;

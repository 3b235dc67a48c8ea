INSERT INTO roles (name, description) VALUES ('admin', 'Administrators')
    ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description;

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE SCHEMA IF NOT EXISTS reporting;
CREATE SEQUENCE invoice_number_seq START WITH 1000 INCREMENT BY 1;
COMMENT ON TABLE users IS 'People who can log in; see docs/users.md';
COMMENT ON COLUMN users.email IS E'Lower-cased \'canonical\' address; unique';
GRANT SELECT ON TABLE users TO reporting_ro;

-- Demo v3: a migration that fails part way. The table is created first, then the insert names a
-- column that does not exist. PostgreSQL DDL is transactional, so Flyway rolls the whole migration
-- back: no audit_log table, no history row, schema stays at the previous version.
create table audit_log (
    id          bigserial primary key,
    greeting_id int not null,
    logged_at   timestamptz not null default now()
);
insert into audit_log (greeting_id) select greeting_ref from greetings;

-- Demo v2: a new table with defaults; existing rows and the v1 code are unaffected.
create table visits (
    id         bigserial primary key,
    path       text not null default '/',
    visited_at timestamptz not null default now()
);
create index visits_visited_at_idx on visits (visited_at);

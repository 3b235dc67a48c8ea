-- One set of SQL for SQLite and PostgreSQL. The journal is append-only: events and logs are never updated.
create table slipway_counters (
    name  varchar(50) primary key,
    value bigint      not null
);
insert into slipway_counters (name, value) values ('run', 0);

create table slipway_runs (
    id              bigint       primary key,
    app             varchar(100) not null,
    stage           varchar(100) not null,
    commit_sha      varchar(100) not null,
    kind            varchar(20)  not null,
    requested_by    varchar(200) not null,
    requested_at_ms bigint       not null
);
create index slipway_runs_stage on slipway_runs (stage, id);

create table slipway_events (
    run_id bigint      not null references slipway_runs (id),
    seq    integer     not null,
    at_ms  bigint      not null,
    type   varchar(40) not null,
    step   varchar(40),
    data   text        not null,
    primary key (run_id, seq)
);

create table slipway_logs (
    run_id bigint  not null references slipway_runs (id),
    seq    integer not null,
    at_ms  bigint  not null,
    step   varchar(40),
    line   text    not null,
    primary key (run_id, seq)
);

create table slipway_leases (
    stage        varchar(100) primary key,
    holder       varchar(200) not null,
    run_id       bigint       not null,
    heartbeat_ms bigint       not null,
    expires_ms   bigint       not null
);

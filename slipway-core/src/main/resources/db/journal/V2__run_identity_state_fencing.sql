-- Run identity, current state in a row, one unfinished run per stage/kind/commit, fenced leases.
-- One set of SQL for SQLite and PostgreSQL.

-- The run's key, unique across journals and machines. Runs made before keys existed keep null; the journal then
-- reads them as <id>.<journal key>, which is what their containers were labelled with.
alter table slipway_runs add column run_key varchar(40);
create unique index slipway_runs_key on slipway_runs (run_key);

-- deploy --image, and the requester's git directory.
alter table slipway_runs add column image_ref varchar(600);
alter table slipway_runs add column origin varchar(1000);

-- The run's state as its events derive it, kept current with every event so lookups never scan history.
alter table slipway_runs add column state varchar(20) not null default 'QUEUED';
alter table slipway_runs add column ended_at_ms bigint;
update slipway_runs set state = coalesce((
    select case e.type
        when 'RUN_SUCCEEDED' then 'SUCCEEDED'
        when 'RUN_FAILED' then 'FAILED'
        when 'ROLLED_BACK' then 'ROLLED_BACK'
        when 'COMPENSATION_FAILED' then 'NEEDS_ATTENTION'
        when 'RUN_SUPERSEDED' then 'SUPERSEDED' end
    from slipway_events e
    where e.run_id = slipway_runs.id
      and e.type in ('RUN_SUCCEEDED', 'RUN_FAILED', 'ROLLED_BACK', 'COMPENSATION_FAILED', 'RUN_SUPERSEDED')
    order by e.seq desc limit 1), 'RUNNING');
update slipway_runs set ended_at_ms = (select max(e.at_ms) from slipway_events e where e.run_id = slipway_runs.id)
    where state in ('SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'NEEDS_ATTENTION', 'SUPERSEDED');
update slipway_runs set state = 'QUEUED'
    where state = 'RUNNING' and not exists (select 1 from slipway_events e where e.run_id = slipway_runs.id and e.type <> 'RUN_QUEUED');

-- While a run is unfinished, open_key is stage/kind/commit; a unique index (nulls never collide) makes two
-- processes that ask at once join one run instead of making two.
alter table slipway_runs add column open_key varchar(400);
update slipway_runs set open_key = stage || '/' || kind || '/' || commit_sha
    where ended_at_ms is null and id = (select max(o.id) from slipway_runs o where o.stage = slipway_runs.stage
        and o.kind = slipway_runs.kind and o.commit_sha = slipway_runs.commit_sha and o.ended_at_ms is null);
create unique index slipway_runs_open on slipway_runs (open_key);
create index slipway_runs_state on slipway_runs (stage, state, id);
create index slipway_runs_commit on slipway_runs (app, commit_sha, id);

-- Fencing: every acquisition bumps the epoch; a released lease keeps its row (holder '') so the epoch only grows.
alter table slipway_leases add column epoch bigint not null default 0;

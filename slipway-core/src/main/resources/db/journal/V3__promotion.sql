-- Promotion: a stage with promote-from deploys the image another stage built and verified for the same git tree.
-- tree_id: the git tree of the run's commit (null when the requester could not tell); matched by promotion.
-- promoted_from: the run of the other stage whose image a promoted run deploys (null when the run builds its own).
alter table slipway_runs add column tree_id varchar(64);
alter table slipway_runs add column promoted_from bigint;
create index slipway_runs_tree on slipway_runs (stage, tree_id, id);

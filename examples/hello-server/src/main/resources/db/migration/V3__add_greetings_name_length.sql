-- Expand, backfill, then constrain: rows written before this migration get their length too.
alter table greetings add column name_length int;
update greetings set name_length = length(name) where name_length is null;
alter table greetings alter column name_length set not null;

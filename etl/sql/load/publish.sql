-- The rows that load, as the warehouse's staging layer sees them (etl/sql/staging/stg_flows.sql reads
-- staging.flows_raw): the load session's accepted rows, marked sample or not (variable is_sample:
-- `refresh --sample`, never a file's name), with their file_id (core.flows' flow_id is made from it and
-- the row). A view: the rows are copied once, into core.flows.
create schema if not exists staging;

create or replace view staging.flows_raw as
select * exclude (warn_1, warn_2, key_hash), getvariable('is_sample') as is_sample
from load.accepted;

-- The accepted rows of each file are the rows in core.flows from it.
with loaded as (
    select file, count(*) as n from core.flows group by file
)

select h.file, h.rows_accepted, coalesce(l.n, 0) as in_flows
from load_history as h
left join loaded as l using (file)
where h.rows_accepted <> coalesce(l.n, 0)

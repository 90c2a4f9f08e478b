-- Per file: data rows read (accepted or rejected), rows rejected (by the adapter or by the checks over
-- every row), rows that load with a warning, and the USD total of the rows that load.
with read as (
    select file_id, count(*) filter (where reject_reason is not null) as rejected
    from load.rows
    group by file_id
),

rejected as (
    select file_id, count(*) as rejected from load.rejects where row is not null group by file_id
    union all
    select file_id, count(*) from load.late group by file_id
),

loaded as (
    select file_id, count(*) filter (where warn_1 is not null or warn_2 is not null) as warned,
           sum(value_usd) as value_usd
    from load.accepted
    group by file_id
)

select
    f.file_id,
    coalesce(f.total_rows, 0) as rows_total,
    coalesce(r.rejected, 0) + coalesce((select sum(x.rejected) from rejected as x where x.file_id = f.file_id), 0)
        as rows_rejected,
    coalesce(l.warned, 0) as rows_warned,
    coalesce(l.value_usd, 0) as value_usd
from load.files as f
left join read as r using (file_id)
left join loaded as l using (file_id)
order by f.file_id

-- Every rejected row and refused file, file by file in row order (a file's own problem first).
select f.file, x.row, x."column", x.value, x.reason
from (
    select file_id, row, reject_column as "column", reject_value as value, reject_reason as reason
    from load.rows
    where reject_reason is not null
    union all
    select file_id, row, "column", value, reason from load.rejects
    union all
    select file_id, row, "column", value, reason from load.late
) as x
inner join load.files as f using (file_id)
order by x.file_id, x.row nulls first

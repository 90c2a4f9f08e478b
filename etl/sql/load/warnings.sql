-- Rows that load with something a reference list did not know: one line per file, column, value and
-- reason (in the order the adapter checks them, then by first row), with how many rows and the first.
select
    f.file,
    a.w."column",
    nullif(left(a.w.value, 200), '') as value,
    a.w.reason,
    count(*) as rows,
    min(a.row) as first_row
from (select file_id, row, unnest(warnings) as w from load.accepted where len(warnings) > 0) as a
inner join load.files as f using (file_id)
group by f.file_id, f.file, a.w.kind, a.w."column", a.w.value, a.w.reason
order by f.file_id, a.w.kind, first_row

-- Rows that load with something a reference list did not know: one line per file, column, value and
-- reason (in the order the adapter checks them, then by first row), with how many rows and the first.
with warned as (
    select file_id, row, 1 as kind, warn_1 as value from load.accepted where warn_1 is not null
    union all
    select file_id, row, 2, warn_2 from load.accepted where warn_2 is not null
)

select
    f.file,
    k."column",
    nullif(left(w.value, 200), '') as value,
    k.reason,
    count(*) as rows,
    min(w.row) as first_row
from warned as w
inner join load.warning_kinds as k using (file_id, kind)
inner join load.files as f using (file_id)
group by f.file_id, f.file, w.kind, k."column", w.value, k.reason
order by f.file_id, w.kind, first_row

-- The rows the last load rejected, with the reason.
select file, row, "column", value, reason
from rejected_rows
order by file, row
limit $limit

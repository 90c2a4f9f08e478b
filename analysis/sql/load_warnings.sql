-- The rows the last load kept although something in them was unknown (a customs office, a transport
-- mode, a unit): one line per file, column and value, with how many rows and the first of them.
select file, first_row, "column", value, rows, reason
from load_warnings
order by file, first_row, "column"
limit $limit

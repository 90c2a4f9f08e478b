-- The temporary view `fields`: the current file's data rows with `row`, the spreadsheet row number
-- (variable first_row: the row below the header; rowid is the place below it, kept when blank rows
-- are deleted), and the format's fields (the caller lists them).
create or replace temp view fields as
select rowid + getvariable('first_row') as row, /* fields */
from load.cells

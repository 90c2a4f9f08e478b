-- The temporary view `fields`: the current file's non-empty data rows (a row whose every cell is
-- blank is no row: trailing empty lines, Excel's empty area) with `row`, the spreadsheet row number
-- (variable first_row: the row below the header), and the format's fields (the caller lists them).
create or replace temp view fields as
select rowid + getvariable('first_row') as row, /* fields */
from load.cells
where has_text(concat(*columns(*)))

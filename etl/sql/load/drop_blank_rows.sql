-- A row whose every cell is blank is no row (trailing empty lines, Excel's empty area): out of the
-- cells (rowid, hence the row numbers of the others, stays as it was). The first cell is tried alone
-- first: it holds something in nearly every row.
delete from load.cells
where rowid in (select rowid from load.cells where is_blank(c0) and is_blank(concat(*columns(*))))

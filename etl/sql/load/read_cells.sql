-- One CSV's cells into load.cells: every cell as text ('' when empty), one column per header position
-- ($columns: name -> VARCHAR, in header order), the lines above and including the header skipped.
-- Rows with fewer cells than the header are padded with ''; more cells than the header, or a quote
-- never closed, is an error the caller names. Read in file order (preserve_insertion_order), so that
-- a row's rowid is its place below the header.
create table load.cells as
select *
from read_csv(
    $path,
    columns = $columns,
    header = false,
    auto_detect = false,
    skip = $skip,
    delim = $delim,
    quote = '"',
    escape = '"',
    null_padding = true,
    force_not_null = $names,
    parallel = $parallel
)

-- How each numeric column of one file writes its numbers (etl.sources.common.NumberForms): per column,
-- how many cells read only with a decimal point, only with a decimal comma, or both ways while holding
-- a mark ('1.234', '12,500'), and the first row of each with its cleaned text. Cells without a '.' or
-- ',' (plain digits, '1 234', text) read the same either way or not at all, so only cells holding a
-- mark are cleaned and matched. Reads the temporary view `numbers` (field, row, cell).
with marked as (
    select field, row, clean_text(cell) as cell
    from numbers
    where contains(cell, '.') or contains(cell, ',') or contains(cell, chr(1643)) or contains(cell, chr(1644))
),

forms as (
    select field, row, cell, reads_with_point(cell) as point, reads_with_comma(cell) as comma
    from marked
)

select
    field,
    count(*) filter (where point and not comma) as point_only,
    count(*) filter (where comma and not point) as comma_only,
    count(*) filter (where point and comma) as both_ways,
    min(row) filter (where point and not comma) as point_row,
    arg_min(cell, row) filter (where point and not comma) as point_cell,
    min(row) filter (where comma and not point) as comma_row,
    arg_min(cell, row) filter (where comma and not point) as comma_cell,
    min(row) filter (where point and comma) as both_row,
    arg_min(cell, row) filter (where point and comma) as both_cell
from forms
group by field

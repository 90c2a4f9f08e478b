-- How each numeric column of one file writes its numbers (etl.sources.common.NumberForms): per column,
-- how many cells read only with a decimal point, only with a decimal comma, or both ways while holding
-- a mark ('1.234', '12,500'), and the first row of each with its cleaned text. Cells without a '.' or
-- ',' (plain digits, '1 234', text) read the same either way or not at all, so only cells holding a
-- mark are cleaned and matched (plain numbers, most of them, with one match). Reads the temporary view
-- `numbers` (field, row, cell).
with marked as (
    select field, row, cell as raw, plain_number(cell) as raw_plain
    from numbers
    where contains(cell, '.') or contains(cell, ',') or contains(cell, chr(1643)) or contains(cell, chr(1644))
),

texts as (
    select field, row, number_text(raw, raw_plain) as cell, raw_plain
    from marked
),

plain as (
    select *, case when raw_plain then true else plain_number(cell) end as plain from texts
),

forms as (
    select field, row, cell, point_form(cell, plain) as point, comma_form(cell, plain) as comma
    from plain
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

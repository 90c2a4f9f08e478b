-- Scalar macros of the load step (temporary: they live as long as the loading connection).
-- Each mirrors a Python function the Python adapters still use; tests/test_load_sql.py holds the two
-- to the same answers on random input, so a change to one must be made to the other.

-- etl.text.clean_text: Persian and Arabic-Indic digits -> ASCII, Arabic ي ى ك ة -> Persian ی ی ک ه,
-- the Persian decimal and thousands marks ٫ ٬ -> '.' ',', the zero-width non-joiner and the narrow,
-- thin, figure and no-break spaces -> ' ', the zero-width joiner, the direction marks and the BOM
-- dropped; then every run of whitespace (Python's str.isspace set) -> one space, trimmed.
create or replace temp macro clean_text(s) as
    case
        -- plain ASCII (byte length = character length), the common case: only whitespace to tidy
        when strlen(s) = length(s) then
            case when regexp_matches(s, '[\t-\r\x1c- ]') then trim(regexp_replace(s, '[\t-\r\x1c- ]+', ' ', 'g'))
                 else s end
        else clean_unicode(s)
    end;

-- (translate() would do it in one call, but builds its table for every row: 20 times slower)
create or replace temp macro persian_to_ascii(s) as
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(s,
        -- Persian digits
        chr(1776), '0'), chr(1777), '1'), chr(1778), '2'), chr(1779), '3'), chr(1780), '4'),
        chr(1781), '5'), chr(1782), '6'), chr(1783), '7'), chr(1784), '8'), chr(1785), '9'),
        -- Arabic-Indic digits
        chr(1632), '0'), chr(1633), '1'), chr(1634), '2'), chr(1635), '3'), chr(1636), '4'),
        chr(1637), '5'), chr(1638), '6'), chr(1639), '7'), chr(1640), '8'), chr(1641), '9'),
        -- Arabic letters and the Persian marks
        chr(1610), chr(1740)), chr(1609), chr(1740)), chr(1603), chr(1705)), chr(1577), chr(1607)), chr(1643), '.'),
        chr(1644), ',');

create or replace temp macro clean_unicode(s) as
    trim(regexp_replace(
        regexp_replace(persian_to_ascii(s), '[\x{200d}\x{200e}\x{200f}\x{feff}]', '', 'g'),
        '[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{200c}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+',
        ' ', 'g'));

-- etl.text.name_key: the key aliases are matched on (cleaned, lower case).
create or replace temp macro name_key(s) as lower(clean_text(s));

-- Text that holds nothing but whitespace (Python's str.strip() leaves nothing).
create or replace temp macro is_blank(s) as
    regexp_full_match(coalesce(s, ''),
                      '[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*');

-- etl.text.NUMBER_PATTERN: a cleaned cell read with a decimal point (thousands ',' or ' ') or with a
-- decimal comma (thousands '.' or ' ').
create or replace temp macro reads_with_point(s) as
    regexp_full_match(s, '-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:\.[0-9]+)?');

create or replace temp macro reads_with_comma(s) as
    regexp_full_match(s, '-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:,[0-9]+)?');

-- Most numbers are plain ('250000.50', '1000'): one match tells both readings of those, the two
-- patterns above are matched only for the others.
create or replace temp macro plain_number(s) as regexp_full_match(s, '[0-9]+(?:\.[0-9]+)?');

-- A numeric cell as it is read: a plain number as it is (nothing to clean), anything else cleaned.
create or replace temp macro number_text(raw, raw_plain) as case when raw_plain then raw else clean_text(raw) end;

-- reads_with_point / reads_with_comma, given plain_number: a plain number reads with a point; with a
-- comma only without a point, or as '1.234' (a thousands group).
create or replace temp macro point_form(s, plain) as case when plain then true else reads_with_point(s) end;

create or replace temp macro comma_form(s, plain) as
    case
        when plain then not contains(s, '.') or (strpos(s, '.') = length(s) - 3 and length(s) <= 7)
        else reads_with_comma(s)
    end;

-- etl.text.parse_numbers for one cleaned cell `s`, given whether it is plain, reads with a point (`p`)
-- and with a comma (`c`), and the decimal mark of its column: the number read with that mark
-- (thousands marks and spaces dropped), NULL where it does not read with it.
create or replace temp macro number_read(s, plain, p, c, mark) as (
    case
        when plain and mark <> ',' then try_cast(s as double)
        when (mark = ',' and c) or (mark <> ',' and p) then
            try_cast(replace(replace(replace(s, ' ', ''), case when mark = ',' then '.' else ',' end, ''),
                             ',', '.') as double)
    end
);

-- A number the warehouse takes: not negative, at most `max_value` (beyond is a typing error, and would
-- overflow the cent arithmetic of the marts); NaN and infinity fail.
create or replace temp macro number_in_range(v, max_value) as coalesce(v >= 0 and v <= max_value, false);

-- parse_numbers' `bad`: a cell that holds something, but no such number (`v` as number_read gives it).
create or replace temp macro number_bad(s, v, max_value) as coalesce(s, '') <> '' and not number_in_range(v, max_value);

-- etl.sources.common.Numbers.read: a cell written with the other mark than its column's ...
create or replace temp macro other_mark(p, c, mark) as coalesce(case when mark = ',' then p and not c else c and not p end, false);

-- ... and a cell that holds a mark and reads both ways ('1.234', '12,500').
create or replace temp macro reads_both_ways(s, p, c) as coalesce(p and c and (contains(s, '.') or contains(s, ',')), false);

create or replace temp macro mark_name(mark) as case when mark = ',' then 'decimal comma' else 'decimal point' end;

create or replace temp macro other_mark_name(mark) as case when mark = ',' then 'decimal point' else 'decimal comma' end;

create or replace temp macro other_mark_reason(mark) as
    'written with a ' || other_mark_name(mark) || ' in a column written with a ' || mark_name(mark)
        || '; write it as the rest of the column';

create or replace temp macro both_ways_reason(mark) as
    'reads two ways in a column that mixes the ' || mark_name(mark) || ' and the ' || other_mark_name(mark)
        || '; write the column one way';

-- The first problem of a numeric cell (etl.sources.common.Numbers.read), NULL when none: written with
-- the column's other mark, reading both ways in a column that mixes them, or no number in range
-- (`expected` says what was expected).
create or replace temp macro number_problem(label, s, p, c, v, mark, mixed, max_value, expected) as
    case
        when other_mark(p, c, mark) then {'column': label, 'value': s, 'reason': other_mark_reason(mark)}
        when mixed and reads_both_ways(s, p, c) then {'column': label, 'value': s, 'reason': both_ways_reason(mark)}
        when number_bad(s, v, max_value) then {'column': label, 'value': s, 'reason': expected}
    end;

-- etl.text.parse_hs on a cleaned tariff code ('' when empty): why it is no HS code of 2 to 10 digits
-- (an even count), NULL when it is one.
create or replace temp macro hs_code_problem(cleaned) as
    case
        when cleaned = '' then 'an HS code is required'
        when contains(cleaned, '.') then 'HS code with dots; expected digits only (e.g. 08105000 not 0810.50.00)'
        when not regexp_full_match(cleaned, '[0-9]+') then 'expected an HS code of digits only'
        when length(cleaned) % 2 = 1 or length(cleaned) < 2 or length(cleaned) > 10 then
            'expected an HS code of 2, 4, 6, 8 or 10 digits (at most 10); an odd count usually means a leading '
            || 'zero was lost — store the column as text'
    end;

-- etl.sources.common.unknown_flag: what a reference list did not know, kept beside the row.
create or replace temp macro unknown_flag(kind, raw) as 'unknown_' || kind || '=' || replace(coalesce(raw, ''), ';', '%3B');

-- etl.sources.common.join_flags: ';'-joined, NULL when a row has none.
create or replace temp macro join_flags(parts) as nullif(array_to_string(list_filter(parts, lambda p: coalesce(p, '') <> ''), ';'), '');

-- etl.refresh's way of showing the values of a record in a message: 'value_usd 1,234.5, net_kg –, qty 3'.
create or replace temp macro shown_number(x) as
    case when x is null or isnan(x) then '–' else rtrim(rtrim(format('{:,.2f}', x), '0'), '.') end;

create or replace temp macro shown_values(usd, kg, q) as
    'value_usd ' || shown_number(usd) || ', net_kg ' || shown_number(kg) || ', qty ' || shown_number(q);

-- The 'unknown_…' parts of a row's flags (what the reference lists did not know).
create or replace temp macro unknown_names(flags) as
    coalesce(array_to_string(list_filter(string_split(flags, ';'), lambda x: starts_with(x, 'unknown_')), ';'), '');

-- What a record is about (etl.refresh's duplicate key): two rows with the same key are the same record.
-- The 'unknown_…' flags are part of it (two unknown offices are two offices). A 64-bit hash: rows
-- whose hashes meet are compared column by column (etl/sql/load/duplicates.sql).
create or replace temp macro record_key(source, reporter_country, reporter_region, partner_country, partner_region,
                                        flow, hs_code, period_start, period_end, customs_office, transport_mode,
                                        value_basis, flags) as
    hash(source, reporter_country, reporter_region, partner_country, partner_region, flow, hs_code, period_start,
         period_end, customs_office, transport_mode, value_basis, unknown_names(flags));

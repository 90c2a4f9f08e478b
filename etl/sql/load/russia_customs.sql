-- Russian customs (FCS) files -> load.rows: every non-empty data row of the temporary view `fields`
-- (the files of one batch: etl.session.LoadSession.flush; etl.sources.russia_customs lists the columns)
-- normalised, with the first problem found in it. What each file says about itself is its row `q` of
-- load.russia_customs_params: its header's labels, each numeric column's decimal mark (q.mark_*;
-- q.mixed_*: the column also holds the other mark), whether it has a unit column.
-- Names and codes are looked up once per distinct cell; numbers are read per cell.
-- The checks run in this order; a row is rejected for the first that fails:
--   direction, period, partner country, TN VED code, value, net weight, quantity, region.
-- Then, for the rows that load: an unknown unit of measure, or a quantity without a unit, is a warning
-- (warn_1, warn_2: the cell; what it means is in load.warning_kinds).
insert into load.rows by name
-- the direction in any case; where the cell is no code as it is, Cyrillic letters that look Latin
-- read as Latin (ЕХ = EX)
with directions as (
    select d.raw, clean_text(d.raw) as cleaned, coalesce(a.code, b.code) as flow
    from (select distinct direction as raw from fields) as d
    left join load.codes as a on a.kind = 'fcs_flow' and a.key = upper(clean_text(d.raw))
    left join load.codes as b
        on b.kind = 'fcs_flow' and b.key = translate(upper(clean_text(d.raw)), $lookalikes, $latin)
),

period_labels as (
    select raw, clean_text(raw) as label from (select distinct period as raw from fields)
),

-- etl.periods.parse_gregorian: '2021' | '01/2021' | '2021-01'
period_parts as (
    select
        raw, label,
        regexp_extract(label, '^([0-9]{4})$', 1) as year_only,
        regexp_extract(label, '^([0-9]{1,2})\s*[/.]\s*([0-9]{4})$', ['m', 'y']) as month_first,
        regexp_extract(label, '^([0-9]{4})\s*-\s*([0-9]{1,2})$', ['y', 'm']) as year_first
    from period_labels
),

period_numbers as (
    select
        raw, label,
        case when year_only <> '' then 'A' when month_first.y <> '' or year_first.y <> '' then 'M' end as freq,
        coalesce(nullif(year_only, ''), nullif(month_first.y, ''), nullif(year_first.y, ''))::integer as y,
        coalesce(nullif(month_first.m, ''), nullif(year_first.m, ''))::integer as m
    from period_parts
),

periods as (
    select
        raw, label, freq,
        case
            when coalesce(label, '') = '' then 'a period is required'
            when freq is null then 'expected a year (2021), MM/YYYY (01/2021) or YYYY-MM (2021-01)'
            when y not between $min_year and $max_year then printf('year %d is outside %d–%d', y, $min_year, $max_year)
            when freq = 'M' and m not between 1 and 12 then printf('month %d does not exist; expected 1–12', m)
        end as error,
        y, m
    from period_numbers
),

period_spans as (
    select
        raw, label, freq, error,
        case when error is null then make_date(y, coalesce(m, 1), 1) end as period_start,
        case when error is null and freq = 'A' then make_date(y, 12, 31)
             when error is null then last_day(make_date(y, m, 1)) end as period_end
    from periods
),

countries as (
    select d.raw, clean_text(d.raw) as cleaned, c.code as partner_country
    from (select distinct country as raw from fields) as d
    left join load.codes as c on c.kind = 'country' and c.key = name_key(d.raw)
),

-- the tariff codes, each checked once (hs_code_problem)
codes as (
    select raw, cleaned, hs_code_problem(cleaned) as reason
    from (select raw, coalesce(clean_text(raw), '') as cleaned from (select distinct hs as raw from fields))
),

-- the OKATO code at the start of REGION ('18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ'; NNNNN: no region)
regions as (
    select d.raw, d.cleaned, o.code as reporter_region
    from (select raw, clean_text(raw) as cleaned from (select distinct region as raw from fields)) as d
    left join load.codes as o
        on o.kind = 'okato'
       and o.key = nullif(regexp_extract(d.cleaned, '^\s*([0-9]{5}|N{5})(?:$|[^\pL\pN_])', 1), '')
),

units as (
    select d.raw, clean_text(d.raw) as cleaned, u.code as qty_unit
    from (select distinct unit as raw from fields) as d
    left join load.codes as u on u.kind = 'unit' and u.key = name_key(d.raw)
),

raw_numbers as (
    -- a plain number (most cells) is read as it is; any other cell is cleaned first
    select
        f.*,
        q,
        plain_number(value) as value_raw_plain,
        plain_number(netto) as netto_raw_plain,
        plain_number(qty) as qty_raw_plain
    from fields as f
    inner join load.russia_customs_params as q using (file_id)
),

texts as (
    select
        *,
        number_text(value, value_raw_plain) as value_text,
        number_text(netto, netto_raw_plain) as netto_text,
        number_text(qty, qty_raw_plain) as qty_text
    from raw_numbers
),

plain as (
    select
        *,
        case when value_raw_plain then true else plain_number(value_text) end as value_plain,
        case when netto_raw_plain then true else plain_number(netto_text) end as netto_plain,
        case when qty_raw_plain then true else plain_number(qty_text) end as qty_plain
    from texts
),

forms as (
    select
        *,
        point_form(value_text, value_plain) as value_p, comma_form(value_text, value_plain) as value_c,
        point_form(netto_text, netto_plain) as netto_p, comma_form(netto_text, netto_plain) as netto_c,
        point_form(qty_text, qty_plain) as qty_p, comma_form(qty_text, qty_plain) as qty_c
    from plain
),

read as (
    select
        f.file_id, f.row, f.q,
        d.cleaned as direction, d.flow,
        p.label as period_label, p.error as period_error, p.period_start, p.period_end, p.freq,
        k.cleaned as country, k.partner_country,
        h.cleaned as hs, h.reason as hs_reason,
        f.value_text, f.value_p, f.value_c,
        number_read(f.value_text, f.value_plain, f.value_p, f.value_c, q.mark_value) as value_n,
        f.netto_text, f.netto_p, f.netto_c,
        number_read(f.netto_text, f.netto_plain, f.netto_p, f.netto_c, q.mark_netto) as netto_n,
        f.qty_text, f.qty_p, f.qty_c, number_read(f.qty_text, f.qty_plain, f.qty_p, f.qty_c, q.mark_qty) as qty_n,
        r.cleaned as region, r.reporter_region,
        u.cleaned as unit, u.qty_unit
    from forms as f
    left join directions as d on d.raw = f.direction
    left join period_spans as p on p.raw = f.period
    left join countries as k on k.raw = f.country
    left join codes as h on h.raw = f.hs
    left join regions as r on r.raw = f.region
    left join units as u on u.raw = f.unit
),

valued as (
    select
        *,
        case when number_in_range(value_n, $max_number) then value_n end as value_usd,
        case when number_in_range(netto_n, $max_number) then netto_n end as net_kg,
        case when number_in_range(qty_n, $max_number) then qty_n end as qty
    from read
),

checked as (
    select
        *,
        coalesce(
            case
                when flow is null then
                    {'column': q.label_direction, 'value': direction,
                     'reason': 'expected ИМ (import) or ЭК (export); also IM/EK/EX, IMP/EXP, IMPORT/EXPORT'}
                when period_error is not null then
                    {'column': q.label_period, 'value': period_label, 'reason': period_error}
                when partner_country is null then
                    {'column': q.label_country, 'value': country,
                     'reason': 'unknown partner country; expected an ISO alpha-2 code (e.g. IR), a code of the FCS '
                         || 'list (AB, OS, EU, YY) or NNN for an undisclosed partner, as listed in '
                         || 'data/reference/countries.csv'}
                when hs_reason is not null then {'column': q.label_hs, 'value': hs, 'reason': hs_reason}
            end,
            -- each number (etl.sources.common.Numbers.read): the other mark, a value that reads both ways in a
            -- mixed column, no number; then the value is required
            number_problem(q.label_value, value_text, value_p, value_c, value_n, q.mark_value, q.mixed_value,
                           $max_number, 'expected a non-negative value in US dollars (below 10 trillion)'),
            case
                when value_usd is null then
                    {'column': q.label_value, 'value': value_text, 'reason': 'a value in US dollars is required'}
            end,
            number_problem(q.label_netto, netto_text, netto_p, netto_c, netto_n, q.mark_netto, q.mixed_netto,
                           $max_number, 'expected a non-negative net weight in kg (below 10 trillion) or an empty cell'),
            number_problem(q.label_qty, qty_text, qty_p, qty_c, qty_n, q.mark_qty, q.mixed_qty, $max_number,
                           'expected a non-negative quantity (below 10 trillion) or an empty cell'),
            case
                when reporter_region is null then
                    {'column': q.label_region, 'value': region,
                     'reason': 'expected a region as ''18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ'' with an OKATO code of the FCS '
                         || 'list (data/reference/regions.csv)'}
            end
        ) as problem,
        q.has_unit and coalesce(unit, '') <> '' and qty_unit is null as unknown_unit,
        q.has_unit and coalesce(unit, '') = '' and coalesce(qty > 0, false) as no_unit
    from valued
),

normalised as (
    select
        file_id,
        row,
        'RU' as reporter_country,
        reporter_region,
        partner_country,
        flow,
        hs as hs_code,
        period_start,
        period_end,
        'gregorian' as calendar,
        freq,
        period_label,
        value_usd,
        case flow when 'import' then 'CIF' when 'export' then 'FOB' end as value_basis,
        net_kg,
        qty,
        qty_unit,
        value_usd as value_native,
        'USD' as currency_native,
        'unknown' as transport_mode,
        case when unknown_unit then unknown_flag('unit', unit) end as flags,
        problem."column" as reject_column,
        left(problem.value, 200) as reject_value,
        problem.reason as reject_reason,
        -- warnings (etl.sources.russia_customs.WARNINGS): the unit as written, the quantity without a unit
        case when unknown_unit then unit end as warn_1,
        case when no_unit then qty_text end as warn_2
    from checked
)

select
    *,
    record_key($source, reporter_country, reporter_region, partner_country, null::varchar, flow, hs_code, period_start,
               period_end, null::varchar, 'unknown', value_basis, flags) as key_hash
from normalised

-- Iranian customs (IRICA) files -> load.rows: every non-empty data row of the temporary view `fields`
-- (the files of one batch: etl.session.LoadSession.flush; etl.sources.iran_customs lists the columns)
-- normalised, with the first problem found in it. What each file says about itself is its row `q` of
-- load.iran_customs_params: its header's labels, each numeric column's decimal mark (q.mark_*; q.mixed_*:
-- the column also holds the other mark), which columns it has, the flow of a file without a flow column.
-- Names and codes are looked up once per distinct cell; numbers are read per cell.
-- The flow is the cell's, or q.hint (from the title rows or the file name) where the file has no flow
-- column or the cell is empty. The province is the cell's, or the customs office's.
-- The checks run in this order; a row is rejected for the first that fails:
--   flow, province (or office), period, partner country, tariff code, weight (kg, tonnes),
--   value (USD, rial), a rial/USD rate for a rial-only row, a value at all.
-- Then, for the rows that load: an unknown customs office or transport mode is a warning (warn_1,
-- warn_2: the cell; what it means is in load.warning_kinds).
insert into load.rows by name
with flows as (
    select d.raw, clean_text(d.raw) as cleaned, m.code as flow
    from (select distinct flow as raw from fields) as d
    left join load.codes as m on m.kind = 'irica_flow' and m.key = lower(clean_text(d.raw))
),

offices as (
    select d.raw, d.cleaned, o.code as office, p.code as province, m.code as office_mode
    from (select raw, clean_text(raw) as cleaned from (select distinct office as raw from fields)) as d
    left join load.codes as o on o.kind = 'office' and o.key = name_key(d.raw)
    left join load.codes as p on p.kind = 'office_province' and p.key = o.code
    left join load.codes as m on m.kind = 'office_mode' and m.key = o.code
),

provinces as (
    select d.raw, d.cleaned, case when c.code = 'IR' then r.code end as region
    from (select raw, clean_text(raw) as cleaned from (select distinct province as raw from fields)) as d
    left join load.codes as r on r.kind = 'region' and r.key = name_key(d.raw)
    left join load.codes as c on c.kind = 'region_country' and c.key = r.code
),

modes as (
    select d.raw, clean_text(d.raw) as cleaned, m.code as mode
    from (select distinct mode as raw from fields) as d
    left join load.codes as m on m.kind = 'mode' and m.key = name_key(d.raw)
),

-- the period as one label: the دوره cell, or سال/ماه (the month as two digits, as str.zfill), or سال —
-- made once per file and distinct cells, not per row
period_cells as (
    select distinct f.file_id, f.period, f.year, f.month, q.period_from
    from fields as f
    inner join load.iran_customs_params as q using (file_id)
),

period_labels as (
    select
        file_id, period, year, month,
        case
            when period_from = 'period' then clean_text(period)
            when period_from = 'month' and coalesce(clean_text(month), '') <> '' then
                clean_text(year) || '/' || (case
                    when length(clean_text(month)) >= 2 then clean_text(month)
                    when clean_text(month) in ('+', '-') then clean_text(month) || '0'
                    else '0' || clean_text(month) end)
            else clean_text(year)
        end as period_label
    from period_cells
),

labelled as (
    select f.*, q, l.period_label
    from fields as f
    inner join load.iran_customs_params as q using (file_id)
    left join period_labels as l
        on l.file_id = f.file_id
       and l.period is not distinct from f.period
       and l.year is not distinct from f.year
       and l.month is not distinct from f.month
),

-- etl.periods.parse_jalali: '1403' | '1403/05' | '1403/05/12' (a date counts in its month)
period_parts as (
    select
        label,
        regexp_extract(label, '^([0-9]{4})$', 1) as year_only,
        regexp_extract(label, '^([0-9]{4})\s*[/\-.]\s*([0-9]{1,2})$', ['y', 'm']) as ym,
        regexp_extract(label, '^([0-9]{4})\s*[/\-.]\s*([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})$', ['y', 'm', 'd']) as ymd
    from (select distinct period_label as label from period_labels)
),

period_numbers as (
    select
        label,
        case when year_only <> '' then 'A' when ym.y <> '' or ymd.y <> '' then 'M' end as freq,
        coalesce(nullif(year_only, ''), nullif(ym.y, ''), nullif(ymd.y, ''))::integer as y,
        coalesce(nullif(ym.m, ''), nullif(ymd.m, ''))::integer as m,
        nullif(ymd.d, '')::integer as d
    from period_parts
),

period_months as (
    select
        p.*,
        first.month_start as year_start,
        last.month_end as year_end,
        month.month_start, month.month_end,
        (month.month_end - month.month_start + 1) as days
    from period_numbers as p
    left join load.calendar_months as first on first.calendar = 'jalali' and first.year = p.y and first.month = 1
    left join load.calendar_months as last on last.calendar = 'jalali' and last.year = p.y and last.month = 12
    left join load.calendar_months as month on month.calendar = 'jalali' and month.year = p.y and month.month = p.m
),

periods as (
    select
        label, freq,
        case
            when coalesce(label, '') = '' then 'a period is required'
            when freq is null then 'expected a Jalali year (1403), month (1403/05) or date (1403/05/12)'
            when y not between $min_jyear and $max_jyear then
                printf('Jalali year %d is outside %d–%d', y, $min_jyear, $max_jyear)
            when freq = 'M' and m not between 1 and 12 then printf('month %d does not exist; expected 1–12', m)
            when d is not null and d not between 1 and days then
                printf('%d/%02d/%02d is not a Jalali date: month %d of %d has %d days%s', y, m, d, m, y, days,
                       case when m = 12 and d = 30 then ' (not a leap year)' else '' end)
        end as error,
        case when freq = 'A' then year_start else month_start end as period_start,
        case when freq = 'A' then year_end else month_end end as period_end
    from period_months
),

partners as (
    select d.raw, clean_text(d.raw) as cleaned, c.code as partner_country
    from (select distinct partner as raw from fields) as d
    left join load.codes as c on c.kind = 'country' and c.key = name_key(d.raw)
),

-- the tariff codes, each checked once (hs_code_problem)
codes as (
    select raw, cleaned, hs_code_problem(cleaned) as reason
    from (select raw, coalesce(clean_text(raw), '') as cleaned from (select distinct hs as raw from fields))
),

raw_numbers as (
    -- a plain number (most cells) is read as it is; any other cell is cleaned first
    select
        *,
        plain_number(kg) as kg_raw_plain,
        plain_number(tonnes) as tonnes_raw_plain,
        plain_number(usd) as usd_raw_plain,
        plain_number(rial) as rial_raw_plain
    from labelled
),

texts as (
    select
        *,
        number_text(kg, kg_raw_plain) as kg_text,
        number_text(tonnes, tonnes_raw_plain) as tonnes_text,
        number_text(usd, usd_raw_plain) as usd_text,
        number_text(rial, rial_raw_plain) as rial_text
    from raw_numbers
),

plain as (
    select
        *,
        case when kg_raw_plain then true else plain_number(kg_text) end as kg_plain,
        case when tonnes_raw_plain then true else plain_number(tonnes_text) end as tonnes_plain,
        case when usd_raw_plain then true else plain_number(usd_text) end as usd_plain,
        case when rial_raw_plain then true else plain_number(rial_text) end as rial_plain
    from texts
),

forms as (
    select
        *,
        point_form(kg_text, kg_plain) as kg_p, comma_form(kg_text, kg_plain) as kg_c,
        point_form(tonnes_text, tonnes_plain) as tonnes_p, comma_form(tonnes_text, tonnes_plain) as tonnes_c,
        point_form(usd_text, usd_plain) as usd_p, comma_form(usd_text, usd_plain) as usd_c,
        point_form(rial_text, rial_plain) as rial_p, comma_form(rial_text, rial_plain) as rial_c
    from plain
),

read as (
    select
        f.file_id, f.row, f.q, f.period_label,
        fl.cleaned as flow_text,
        case
            when not q.has_flow then q.hint
            when coalesce(fl.cleaned, '') = '' and q.hint is not null then q.hint
            else fl.flow
        end as flow,
        o.cleaned as office_text, o.office, o.province as office_province, o.office_mode,
        coalesce(o.cleaned, '') <> '' and o.office is null as unknown_office,
        p.cleaned as province_text, p.region as province_region,
        case when q.has_province then coalesce(p.region, o.province) else o.province end as reporter_region,
        m.cleaned as mode_text, m.mode,
        coalesce(m.cleaned, '') <> '' and m.mode is null as unknown_mode,
        pe.error as period_error, pe.period_start, pe.period_end, pe.freq,
        k.cleaned as partner_text, k.partner_country,
        h.cleaned as hs, h.reason as hs_reason,
        f.kg_text, f.kg_p, f.kg_c, number_read(f.kg_text, f.kg_plain, f.kg_p, f.kg_c, q.mark_kg) as kg_n,
        f.tonnes_text, f.tonnes_p, f.tonnes_c,
        number_read(f.tonnes_text, f.tonnes_plain, f.tonnes_p, f.tonnes_c, q.mark_tonnes) as tonnes_n,
        f.usd_text, f.usd_p, f.usd_c, number_read(f.usd_text, f.usd_plain, f.usd_p, f.usd_c, q.mark_usd) as usd_n,
        f.rial_text, f.rial_p, f.rial_c,
        number_read(f.rial_text, f.rial_plain, f.rial_p, f.rial_c, q.mark_rial) as rial_n
    from forms as f
    left join flows as fl on fl.raw = f.flow
    left join offices as o on o.raw = f.office
    left join provinces as p on p.raw = f.province
    left join modes as m on m.raw = f.mode
    left join periods as pe on pe.label = f.period_label
    left join partners as k on k.raw = f.partner
    left join codes as h on h.raw = f.hs
),

valued as (
    select
        r.*,
        case when number_in_range(kg_n, $max_number) then kg_n end as kg,
        case when number_in_range(tonnes_n, $max_number) then tonnes_n end as tonnes,
        case when number_in_range(usd_n, $max_number) then usd_n end as usd,
        case when number_in_range(rial_n, $max_rials) then rial_n end as rial,
        strftime(r.period_start, '%Y-%m') as fx_month,
        x.rial_per_usd
    from read as r
    left join load.fx as x on x.month = strftime(r.period_start, '%Y-%m')
),

checked as (
    select
        *,
        usd is null and rial is not null as from_rial,
        coalesce(
            case
                when q.has_flow and flow is null then
                    {'column': q.label_flow, 'value': flow_text, 'reason': 'expected صادرات (export) or واردات (import)'}
                when q.has_province and coalesce(province_text, '') <> '' and province_region is null then
                    {'column': q.label_province, 'value': province_text,
                     'reason': 'unknown province; expected an Iranian province name (e.g. مازندران) or code (IR-02)'}
                when not q.has_province and unknown_office then
                    {'column': q.label_office, 'value': office_text,
                     'reason': 'unknown customs office, and no استان column to tell the province; expected an office '
                         || 'listed in data/reference/customs_offices.csv'}
                when reporter_region is null then
                    {'column': case when q.has_province then q.label_province else q.label_office end,
                     'value': case when q.has_province then province_text else office_text end,
                     'reason': 'the province is missing; fill استان or a known customs office'}
                when period_error is not null then
                    {'column': q.label_period, 'value': period_label, 'reason': period_error}
                when partner_country is null then
                    {'column': q.label_partner, 'value': partner_text,
                     'reason': 'unknown partner country; expected a Persian country name (e.g. روسیه) or an ISO code '
                         || 'listed in data/reference/countries.csv'}
                when hs_reason is not null then {'column': q.label_hs, 'value': hs, 'reason': hs_reason}
            end,
            number_problem(q.label_kg, kg_text, kg_p, kg_c, kg_n, q.mark_kg, q.mixed_kg, $max_number,
                           'expected a non-negative weight in kg (below 10 trillion) or an empty cell'),
            number_problem(q.label_tonnes, tonnes_text, tonnes_p, tonnes_c, tonnes_n, q.mark_tonnes, q.mixed_tonnes,
                           $max_number, 'expected a non-negative weight in tonnes (below 10 trillion) or an empty cell'),
            number_problem(q.label_usd, usd_text, usd_p, usd_c, usd_n, q.mark_usd, q.mixed_usd, $max_number,
                           'expected a non-negative value in US dollars (below 10 trillion)'),
            number_problem(q.label_rial, rial_text, rial_p, rial_c, rial_n, q.mark_rial, q.mixed_rial, $max_rials,
                           'expected a non-negative value in rials (below 10^19)'),
            case
                when usd is null and rial is not null and rial_per_usd is null and period_start is not null then
                    {'column': q.label_rial, 'value': fx_month,
                     'reason': 'no rial/USD rate for this month in data/reference/fx.csv; add it or give the USD '
                         || 'value'}
                when usd is null and rial is null then
                    {'column': case when q.has_usd then q.label_usd else q.label_rial end, 'value': null::varchar,
                     'reason': 'a value is required: ارزش دلاری (USD) or ارزش ریالی (rial)'}
            end
        ) as problem
    from valued
),

normalised as (
    select
        file_id,
        row,
        'IR' as reporter_country,
        reporter_region,
        partner_country,
        flow,
        hs as hs_code,
        period_start,
        period_end,
        'jalali' as calendar,
        freq,
        period_label,
        coalesce(usd, rial / rial_per_usd) as value_usd,
        case flow when 'import' then 'CIF' when 'export' then 'FOB' end as value_basis,
        coalesce(kg, tonnes * 1000) as net_kg,
        case when rial is not null then rial else usd end as value_native,
        case when rial is not null then 'IRR' else 'USD' end as currency_native,
        coalesce(mode, case when not unknown_mode then office_mode end, 'unknown') as transport_mode,
        office as customs_office,
        join_flags([
            case when from_rial then 'usd_from_rial' end,
            case when unknown_office then unknown_flag('office', office_text) end,
            case when unknown_mode then unknown_flag('mode', mode_text) end
        ]) as flags,
        problem."column" as reject_column,
        left(problem.value, 200) as reject_value,
        problem.reason as reject_reason,
        -- warnings (etl.sources.iran_customs.WARNINGS): the office and the mode as written
        case when q.has_office and unknown_office then office_text end as warn_1,
        case when q.has_mode and unknown_mode then mode_text end as warn_2
    from checked
)

select
    *,
    record_key($source, reporter_country, reporter_region, partner_country, null::varchar, flow, hs_code, period_start,
               period_end, customs_office, transport_mode, value_basis, flags) as key_hash
from normalised

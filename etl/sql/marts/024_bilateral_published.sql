-- marts.bilateral_published: Volgograd's published yearly totals of trade with Iran — manual rows
-- with reporter Volgograd, partner Iran and no product (all products) covering one Gregorian year —
-- the benchmarks of the nowcast. Direction from the provinces' side (Volgograd's exports are the
-- provinces' imports). A row for part of a year is not a yearly total and is left out here.
with volgograd as (
    select code from ref.regions where is_focus = '1' and country = 'RU'
)

select
    f.flow_id, f.file, f.row, f.period_label, year(f.period_start) as year,
    case f.flow when 'import' then 'export' else 'import' end as flow,
    f.value_usd::double as p_usd, f.value_basis
from core.flows as f
where f.source = 'manual' and f.hs6 is null and f.hs_code is null
  and f.reporter_region in (select code from volgograd)
  and f.partner_country = 'IR' and f.partner_region is null
  and month(f.period_start) = 1 and day(f.period_start) = 1
  and f.period_end = make_date(year(f.period_start), 12, 31)

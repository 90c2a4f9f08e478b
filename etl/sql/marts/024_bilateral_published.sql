-- marts.bilateral_published: Volgograd's published yearly totals of trade with Iran — manual rows
-- with reporter Volgograd, partner Iran and no product (all products) covering one Gregorian year —
-- the benchmarks of the nowcast. Direction from the provinces' side (ref.point_of_view: Volgograd's
-- exports are the provinces' imports). A row for part of a year is not a yearly total and is left out here.
select
    f.flow_id, f.file, f.row, f.period_label, year(f.period_start) as year, v.flow,
    f.value_usd::double as p_usd, f.value_basis
from core.flows as f
inner join ref.focus as r on r.code = f.reporter_region and r.side = 'partner'
inner join ref.point_of_view as v on v.country = f.reporter_country and v.reported_flow = f.flow
where f.source = 'manual' and f.hs6 is null and f.hs_code is null
  and f.partner_country in (select country from ref.focus where side = 'province') and f.partner_region is null
  and month(f.period_start) = 1 and day(f.period_start) = 1
  and f.period_end = make_date(year(f.period_start), 12, 31)

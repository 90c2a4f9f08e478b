-- The bilateral estimate cells within the filters (the base of most page queries).
select
    b.calendar, b.month_start, b.year, b.province, b.partner_region, b.flow, b.hs6, b.hs4, b.hs2, b.sector,
    b.method, b.estimate_usd, b.lower_usd, b.upper_usd, b.estimate_kg, b.lower_kg, b.upper_kg,
    b.a_usd, b.b_usd, b.t_usd, b.t_reporter
from marts.bilateral as b
where b.calendar = $calendar
  and b.province in (select unnest($provinces::varchar[]))
  and b.flow in (select unnest($flows::varchar[]))
  and b.sector in (select unnest($sectors::varchar[]))
  and b.month_start between $date_from and $date_to

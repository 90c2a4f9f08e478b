-- The provinces' trade with Russia by transport mode and customs office per month (only Iranian
-- customs record how goods moved), with the office's place for the map.
select
    g.month_start, g.year, g.month, g.label, g.reporter_region as province, g.flow,
    g.transport_mode, g.customs_office, o.place,
    sum(g.value_usd)::double as value_usd, sum(g.net_kg) as net_kg
from marts.grid as g
left join ref.customs_offices as o on o.office = g.customs_office
where g.calendar = $calendar
  and g.source = 'iran_customs' and g.partner_country = 'RU'
  and g.reporter_region in (select unnest($provinces::varchar[]))
  and g.flow in (select unnest($flows::varchar[]))
  and g.sector in (select unnest($sectors::varchar[]))
  and g.month_start between $date_from and $date_to
group by all
order by g.month_start, g.transport_mode, g.customs_office

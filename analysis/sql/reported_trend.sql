-- What each side's customs reported per month: the provinces' trade with Russia (Iranian customs)
-- and Volgograd's trade with Iran (Russian customs), from the provinces' side of the flow.
select
    g.month_start, g.year, g.month, g.label, g.source,
    case when g.source = 'iran_customs' then g.flow
         else (case g.flow when 'import' then 'export' else 'import' end) end as flow,
    sum(g.value_usd)::double as value_usd, sum(g.net_kg) as net_kg
from marts.grid as g
where g.calendar = $calendar
  and g.month_start between $date_from and $date_to
  and g.sector in (select unnest($sectors::varchar[]))
  and ((g.source = 'iran_customs' and g.partner_country = 'RU' and g.reporter_region in (select unnest($provinces::varchar[])))
    or (g.source = 'russia_customs' and g.partner_country = 'IR' and g.reporter_region = 'RU-VGG'))
group by all
order by g.month_start, g.source, flow

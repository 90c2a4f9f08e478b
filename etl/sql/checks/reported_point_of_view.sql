-- marts.reported tells every flow from the provinces' side: the provinces' country keeps its
-- flows, the partner's country has them turned round, and nothing else is in it.
select r.side, r.source, r.reporter_country, r.reported_flow, r.flow, count(*) as n
from marts.reported as r
left join (select distinct country, side from ref.focus) as f on f.country = r.reporter_country
where f.side is null
   or r.flow not in ('export', 'import')
   or (f.side = 'province' and r.flow <> r.reported_flow)
   or (f.side = 'partner' and r.flow = r.reported_flow)
group by all

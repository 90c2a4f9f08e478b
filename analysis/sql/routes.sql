-- The provinces' trade with the partner's country by transport mode and customs office per month
-- (only Iranian customs record how goods moved), with the office's place for the map.
select
    r.month_start, r.year, r.month, r.label, r.region as province, r.flow, r.transport_mode, r.customs_office,
    o.place, sum(r.value) as value
from selected.reported($filters) as r
left join ref.customs_offices as o on o.office = r.customs_office
where r.side = 'province' and r.with_other_side
group by all
order by r.month_start, r.transport_mode, r.customs_office

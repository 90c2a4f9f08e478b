-- selected.reported(filters): what each side's customs reported (marts.reported) in the selected
-- months, directions and sectors — the provinces' side for the selected provinces only, the
-- partner's side whole (it does not know which province traded) — with `value` in the chosen
-- measure (USD or kg).
select r.*, case filters['measure'] when 'kg' then r.net_kg else r.value_usd::double end as value
from marts.reported as r
semi join selected.cells(filters) as c
    on c.calendar = r.calendar and c.month_start = r.month_start and c.province = r.region
   and c.flow = r.flow and c.sector = r.sector
where r.side = 'province'

union all

select r.*, case filters['measure'] when 'kg' then r.net_kg else r.value_usd::double end as value
from marts.reported as r
semi join selected.cells(filters) as c
    on c.calendar = r.calendar and c.month_start = r.month_start and c.flow = r.flow and c.sector = r.sector
where r.side = 'partner'

-- selected.reported(filters): what each side's customs reported (marts.reported) in the selected
-- months, directions and sectors — the provinces' side for the selected provinces only, the
-- partner's side whole (it does not know which province traded) — with `value` in the chosen
-- measure (USD or kg).
with cells as (
    select * from selected.cells(filters)
),

provinces as (
    select r.*
    from marts.reported as r
    semi join cells as c
        on c.calendar = r.calendar and c.month_start = r.month_start and c.province = r.region
       and c.flow = r.flow and c.sector = r.sector
    where r.side = 'province'
),

partner as (
    select r.*
    from marts.reported as r
    semi join cells as c
        on c.calendar = r.calendar and c.month_start = r.month_start and c.flow = r.flow and c.sector = r.sector
    where r.side = 'partner'
)

select *, case filters['measure'] when 'kg' then net_kg else value_usd::double end as value
from (select * from provinces union all select * from partner)

-- The estimate by product at the filters' HS level (2, 4 or 6 digits), with its 80 % interval (p10,
-- p90 from marts.bilateral_sums), names, section and sector and the unit value (USD per tonne);
-- largest (in USD) first.
with cells as (
    select left(hs6, $filters['hs']) as code, * from selected.estimate($filters)
),

products as (
    select
        code, hs2, any_value(sector) as sector,
        sum(coalesce(value, 0)) as value, sum(lower) as lower, sum(upper) as upper,
        sum(coalesce(estimate_usd, 0)) as estimate_usd, sum(upper_usd) as upper_usd,
        sum(coalesce(estimate_kg, 0)) as estimate_kg
    from cells
    group by code, hs2
),

intervals as (
    select hs as code, p10, p90
    from marts.bilateral_sums($filters['calendar'], $filters['date_from'], $filters['date_to'],
                              $filters['provinces'], $filters['flows'], $filters['sectors'],
                              hs_level := $filters['hs'], measure := $filters['measure'])
)

select
    p.*, i.p10, i.p90, ch.section, h.name_en,
    case when p.estimate_kg > 0 then p.estimate_usd / (p.estimate_kg / 1000) end as usd_per_tonne
from products as p
left join intervals as i on i.code = p.code
left join ref.hs as h on h.code = p.code
left join ref.hs_chapters as ch on ch.hs2 = p.hs2
order by p.estimate_usd desc, p.upper_usd desc

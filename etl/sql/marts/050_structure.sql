-- marts.structure: per province, year and direction — Michaely complementarity between the
-- province's mix and the partner region's mix on the other side of the flow (HS headings, hs4),
-- and the concentration (HHI, plain and normalised) of the province's products (hs6) and partner
-- countries.
--   complementarity = 100 · (1 − ½ · Σ_k |m_k − x_k|), x = province export shares, m = partner
--   import shares (for the import direction: x = partner export shares, m = province import shares).
-- marts.reported tells both sides from the provinces' side, so the two mixes meet on (year, flow, hs4).
-- province_months / partner_months: the months of the year each side's mix holds (12: the whole year;
-- Volgograd's customs data end in January 2022, so its mix for 2022 is January's alone).
with province_mix as (
    select calendar, year, region as province, flow, hs4, sum(value_usd)::double as v
    from marts.reported
    where side = 'province' and hs4 is not null
    group by all
),

partner_mix as (
    select calendar, year, flow, hs4, sum(value_usd)::double as v
    from marts.reported
    where side = 'partner' and hs4 is not null
    group by all
),

partner_mix_per_province as (
    select m.*, f.code as province
    from partner_mix as m
    cross join (select code from ref.focus where side = 'province') as f
),

mixes as (
    select calendar, year, province, flow, hs4, coalesce(p.v, 0) as x, coalesce(m.v, 0) as m
    from province_mix as p
    full join partner_mix_per_province as m using (calendar, year, province, flow, hs4)
),

complementarity as (
    select calendar, year, province, flow,
           100 * (1 - 0.5 * sum(abs(x / x_total - m / m_total))) as complementarity
    from (select *, sum(x) over w as x_total, sum(m) over w as m_total
          from mixes window w as (partition by calendar, year, province, flow))
    where x_total > 0 and m_total > 0
    group by all
),

products as (
    select calendar, year, region as province, flow, hs6, sum(value_usd)::double as v
    from marts.reported
    where side = 'province' and hs6 is not null
    group by all
),

partners as (
    select calendar, year, region as province, flow, partner_country, sum(value_usd)::double as v
    from marts.reported
    where side = 'province'
    group by all
),

hhi_products as (
    select calendar, year, province, flow, sum(power(v / total, 2)) as hhi_products, count(*) as n_products
    from (select *, sum(v) over (partition by calendar, year, province, flow) as total from products)
    where total > 0 and v > 0
    group by all
),

months as (
    select calendar, year, flow, side, case when side = 'province' then region end as province,
           count(distinct month) as months
    from marts.reported
    where side in ('province', 'partner') and hs4 is not null
    group by all
),

hhi_partners as (
    select calendar, year, province, flow, sum(power(v / total, 2)) as hhi_partners, count(*) as n_partners
    from (select *, sum(v) over (partition by calendar, year, province, flow) as total from partners)
    where total > 0 and v > 0
    group by all
)

select
    h.calendar, h.year, h.province, h.flow,
    c.complementarity,
    h.hhi_products, h.n_products,
    case when h.n_products = 1 then 1.0
         else (h.hhi_products - 1.0 / h.n_products) / (1 - 1.0 / h.n_products) end as hhi_products_norm,
    p.hhi_partners, p.n_partners,
    case when p.n_partners = 1 then 1.0
         else (p.hhi_partners - 1.0 / p.n_partners) / (1 - 1.0 / p.n_partners) end as hhi_partners_norm,
    coalesce(mp.months, 0) as province_months,
    coalesce(mv.months, 0) as partner_months
from hhi_products as h
left join hhi_partners as p using (calendar, year, province, flow)
left join complementarity as c using (calendar, year, province, flow)
left join months as mp on mp.side = 'province' and mp.calendar = h.calendar and mp.year = h.year
    and mp.province = h.province and mp.flow = h.flow
left join months as mv on mv.side = 'partner' and mv.calendar = h.calendar and mv.year = h.year and mv.flow = h.flow

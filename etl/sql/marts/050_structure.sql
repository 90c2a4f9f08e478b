-- marts.structure: per province, year and direction — Michaely complementarity between the
-- province's mix and Volgograd's opposite mix (HS headings, hs4), and the concentration (HHI,
-- plain and normalised) of the province's products (hs6) and partner countries.
--   complementarity = 100 · (1 − ½ · Σ_k |m_k − x_k|), x = province export shares, m = Volgograd
--   import shares (for the import direction: x = Volgograd export shares, m = province import shares).
with focus as (
    select code from ref.regions where is_focus = '1' and country = 'IR'
),

province_mix as (
    select calendar, year, reporter_region as province, flow, hs4, sum(value_usd)::double as v
    from marts.grid
    where source = 'iran_customs' and hs4 is not null and reporter_region in (select code from focus)
    group by all
),

volgograd_mix as (
    select calendar, year, case flow when 'import' then 'export' else 'import' end as flow, hs4,
           sum(value_usd)::double as v
    from marts.grid
    where source = 'russia_customs' and hs4 is not null
      and reporter_region in (select code from ref.regions where is_focus = '1' and country = 'RU')
    group by all
),

volgograd_mix_per_province as (
    select v.*, f.code as province from volgograd_mix as v cross join focus as f
),

mixes as (
    select calendar, year, province, flow, hs4, coalesce(p.v, 0) as x, coalesce(v.v, 0) as m
    from province_mix as p
    full join volgograd_mix_per_province as v using (calendar, year, province, flow, hs4)
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
    select calendar, year, reporter_region as province, flow, hs6, sum(value_usd)::double as v
    from marts.grid
    where source = 'iran_customs' and hs6 is not null and reporter_region in (select code from focus)
    group by all
),

partners as (
    select calendar, year, reporter_region as province, flow, partner_country, sum(value_usd)::double as v
    from marts.grid
    where source = 'iran_customs' and reporter_region in (select code from focus)
    group by all
),

hhi_products as (
    select calendar, year, province, flow, sum(power(v / total, 2)) as hhi_products, count(*) as n_products
    from (select *, sum(v) over (partition by calendar, year, province, flow) as total from products)
    where total > 0 and v > 0
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
         else (p.hhi_partners - 1.0 / p.n_partners) / (1 - 1.0 / p.n_partners) end as hhi_partners_norm
from hhi_products as h
left join hhi_partners as p using (calendar, year, province, flow)
left join complementarity as c using (calendar, year, province, flow)

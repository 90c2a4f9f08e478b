-- Revealed comparative advantage (Balassa) of each selected province's exports over the selected
-- years: RCA = (x_pk / x_p) / (x_k / x), with x_pk the province's exports of product k, x_p all its
-- exports, x_k the exports of k by every Iranian region in the warehouse (marts.rca) and x all of
-- theirs. Above 1: k weighs more in the province's exports than in the reference's. Shares are of
-- all products; only products of the selected sectors are listed.
with years as (
    select distinct calendar, year from selected.cells($filters)
),

exports as (
    select r.region, r.hs6, any_value(r.sector) as sector, sum(r.value_usd) as x_pk
    from marts.rca as r
    semi join years using (calendar, year)
    where r.flow = 'export'
    group by r.region, r.hs6
),

shares as (
    select
        *,
        sum(x_pk) over (partition by region) as x_p,
        sum(x_pk) over (partition by hs6) as x_k,
        sum(x_pk) over () as x
    from exports
),

selected_products as (
    select s.*
    from shares as s
    semi join selected.cells($filters) as c on c.province = s.region and c.sector = s.sector
)

select
    s.region as province, s.hs6, s.sector, h.name_en, s.x_pk as value_usd,
    s.x_pk / nullif(s.x_p, 0) as share_of_province,
    s.x_k / nullif(s.x, 0) as share_of_reference,
    (s.x_pk / nullif(s.x_p, 0)) / nullif(s.x_k / nullif(s.x, 0), 0) as rca
from selected_products as s
left join ref.hs as h on h.code = s.hs6
order by s.region, rca desc, s.hs6

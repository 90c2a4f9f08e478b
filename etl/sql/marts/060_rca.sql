-- marts.rca: Balassa revealed comparative advantage of each province in each product (hs6) per
-- year and direction: (x_pk / X_p) / (x_k / X), where the reference ("world") is every Iranian
-- region in the warehouse together — the provinces' customs files are what we have; say so.
with regional as (
    select calendar, year, reporter_region as province, flow, hs6, sum(value_usd)::double as x_pk
    from marts.grid
    where source = 'iran_customs' and hs6 is not null and reporter_region is not null
    group by all
),

totals as (
    select
        *,
        sum(x_pk) over (partition by calendar, year, province, flow) as x_p,
        sum(x_pk) over (partition by calendar, year, flow, hs6) as x_k,
        sum(x_pk) over (partition by calendar, year, flow) as x_all
    from regional
)

select calendar, year, province, flow, hs6, x_pk as value_usd,
       (x_pk / nullif(x_p, 0)) / nullif(x_k / nullif(x_all, 0), 0) as rca
from totals
where province in (select code from ref.regions where is_focus = '1' and country = 'IR')

-- marts.rca: each Iranian region's trade per product (hs6), year and direction, as its customs
-- report it — the ingredients of Balassa's revealed comparative advantage. Every region in the
-- warehouse is kept (not only the focus provinces): together they are the reference "world" of
-- RCA = (x_pk / x_p) / (x_k / x), computed over the selected years by analysis/sql/rca.sql. With
-- only the provinces' own files loaded, the reference is the three provinces together.
select
    calendar, year, reporter_region as region, flow, hs6, any_value(sector) as sector, sum(value_usd)::double as value_usd
from marts.grid
where source = 'iran_customs' and hs6 is not null and reporter_region is not null
group by calendar, year, reporter_region, flow, hs6

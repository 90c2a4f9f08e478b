-- marts.targets: each agreed target against the bilateral estimate (with its bounds) per year from
-- the year the target starts. Gap and the growth needed are computed at query time.
with bilateral_year as (
    select calendar, year, province, partner_region,
           sum(coalesce(estimate_usd, 0)) as estimate_usd,
           sum(lower_usd) as lower_usd,
           sum(upper_usd) as upper_usd,
           count(distinct month_start) as months
    from marts.bilateral
    group by all
)

select
    t.target_id, t.reporter_region, t.partner_region, t.metric, t.value_usd_per_year as target_usd,
    t.from_year, t.agreed, t.url, b.calendar, b.year,
    b.estimate_usd, b.lower_usd, b.upper_usd, b.months
from ref.targets as t
inner join bilateral_year as b
    on b.province = t.reporter_region and b.partner_region = t.partner_region
   and b.calendar = 'gregorian' and b.year >= t.from_year
where t.metric = 'turnover'

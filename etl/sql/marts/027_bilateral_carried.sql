-- marts.bilateral_carried: Volgograd's side carried over its customs' silence, before the
-- benchmark (etl/estimate/nowcast.py takes it from here), per product, direction and Gregorian month:
--   nowcast_from: the reported month it is carried from — the last one before, else the first after;
--   share: Volgograd's share of Russia's trade with Iran in the product, ΣB / ΣT over the 24 reported
--     months (nowcast_base_months) ending at nowcast_from (starting there, for months before any report); a product the
--     national figures do not show keeps its monthly `level` instead;
--   b_hat = share · T + level, on the FOB basis;
--   sd_product, sd_common: per direction, how much products' shares moved from one fully reported
--     year to the next (robust: 1.4826 × the median absolute deviation), and how much Volgograd's share
--     of all products did — NULL where fewer than two full years were reported.
-- Only the months that need it: those the provinces' files cover, and every month of a year with a
-- published total (the benchmark needs the whole year).
with settings as (
    select nowcast_base_months as n from marts.bilateral_settings
),

reported as (
    select flow, hs6, month_start, sum(usd) as b_usd
    from marts.bilateral_sides
    where calendar = 'gregorian' and side = 'B'
    group by all
),

b_months as (
    select month_start, row_number() over (order by month_start) as i
    from (select distinct month_start from marts.bilateral_coverage where calendar = 'gregorian' and side = 'B')
),

totals as (
    select flow, hs6, year, month_start, t_usd from marts.bilateral_totals
),

silent as (
    select distinct t.month_start
    from totals as t
    where t.month_start not in (select month_start from b_months)
      and (t.month_start in (select month_start from marts.bilateral_coverage
                             where calendar = 'gregorian' and side = 'A')
           or year(t.month_start) in (select year from marts.bilateral_published))
),

anchored as (
    select s.month_start,
           coalesce(max(b.month_start) filter (where b.month_start < s.month_start),
                    min(b.month_start) filter (where b.month_start > s.month_start)) as nowcast_from
    from silent as s
    cross join b_months as b
    group by all
),

anchors as (
    select nowcast_from, bool_or(month_start < nowcast_from) as backwards
    from anchored
    group by all
),

windows as (
    select a.nowcast_from, b.month_start
    from anchors as a
    inner join b_months as f on f.month_start = a.nowcast_from
    inner join b_months as b
        on (a.backwards and b.i between f.i and f.i + (select n from settings) - 1)
        or (not a.backwards and b.i between f.i - (select n from settings) + 1 and f.i)
),

window_sums as (
    select w.nowcast_from, k.flow, k.hs6, count(distinct w.month_start) as months,
           coalesce(sum(r.b_usd), 0) as b_usd, coalesce(sum(t.t_usd), 0) as t_usd
    from windows as w
    cross join (select distinct flow, hs6 from reported) as k
    left join reported as r on r.flow = k.flow and r.hs6 = k.hs6 and r.month_start = w.month_start
    left join totals as t on t.flow = k.flow and t.hs6 = k.hs6 and t.month_start = w.month_start
    group by all
),

shares as (
    select nowcast_from, flow, hs6,
           case when t_usd > 0 then b_usd / greatest(t_usd, b_usd) else 0 end as share,
           case when t_usd > 0 then 0 else b_usd / months end as level
    from window_sums
    where b_usd > 0
),

full_years as (
    select year(month_start) as year from b_months group by all having count(*) = 12
),

yearly as (
    select k.flow, k.hs6, y.year,
           sum(r.b_usd) as b_usd, sum(t.t_usd) as t_usd
    from (select distinct flow, hs6 from reported) as k
    cross join full_years as y
    left join reported as r on r.flow = k.flow and r.hs6 = k.hs6 and year(r.month_start) = y.year
    left join totals as t on t.flow = k.flow and t.hs6 = k.hs6 and t.year = y.year
        and t.month_start in (select month_start from b_months)
    group by all
),

changes as (
    -- from one full year to the next the product was traded in
    select flow, hs6, year,
           ln(b_usd / greatest(t_usd, b_usd)) - lag(ln(b_usd / greatest(t_usd, b_usd)))
               over (partition by flow, hs6 order by year) as d
    from yearly
    where b_usd > 0 and t_usd > 0
),

spread_product as (
    select flow, 1.4826 * mad(d) as sd_product
    from changes
    group by all
    having count(d) >= 3
),

overall as (
    select flow, year, ln(sum(b_usd) / sum(t_usd)) as share
    from yearly
    group by all
),

spread_common as (
    select flow, sqrt(avg(d * d)) as sd_common
    from (select flow, share - lag(share) over (partition by flow order by year) as d from overall)
    where d is not null
    group by all
)

select
    s.flow, s.hs6, a.month_start, a.nowcast_from,
    abs(datediff('month', a.nowcast_from, a.month_start)) as months_since,
    s.share, s.level, coalesce(t.t_usd, 0) as t_usd,
    s.share * coalesce(t.t_usd, 0) + s.level as b_hat,
    p.sd_product, c.sd_common
from anchored as a
inner join shares as s using (nowcast_from)
left join totals as t on t.flow = s.flow and t.hs6 = s.hs6 and t.month_start = a.month_start
left join spread_product as p on p.flow = s.flow
left join spread_common as c on c.flow = s.flow

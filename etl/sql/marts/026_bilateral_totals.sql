-- marts.bilateral_totals: T, Russia <-> Iran national trade per product, direction and Gregorian
-- month, on the FOB basis.
--   * One reporter per year and direction: Iran's (the same customs administration as the provinces'
--     files, and it runs on after Russia stopped reporting in 2022), else Russia's.
--   * A year's total goes to its months in proportion to the provinces' own trade in the product: the
--     months their customs cover take n_covered / 12 of the year, split by the provinces' figures; the
--     other months take the rest by days (all months by days where the provinces report none of it).
--   * A year no Comtrade file covers carries the nearest covered year's total (the earlier on a tie),
--     scaled by the growth of the provinces' trade in the direction (all products) over the calendar
--     months covered in both years, and says so in t_source ('carried from 2024').
--   * Where a reporter gave Comtrade all twelve months of a year (marts.bilateral_national_profile),
--     the year's total goes to its months in proportion to that reporter's monthly figures of the
--     product rather than by the spread: the chosen reporter's own months (t_source 'comtrade IR
--     monthly'), else the other reporter's (t_source 'comtrade IR timed by RU monthly'). The level
--     stays the chosen reporter's year; the months only give its timing (docs/estimate.md §2). The
--     CIF/FOB margin is one factor per reporter and direction, so it cancels in the proportions.
with settings as (
    select cif_fob_margin as tau from marts.bilateral_settings
),

national as (
    select n.year, n.flow, n.hs6, n.reporter, n.usd_fob + n.usd_cif / (1 + s.tau) + n.usd_other as t_usd
    from marts.bilateral_national as n
    cross join settings as s
),

chosen as (
    select year, flow, case when bool_or(reporter = 'IR') then 'IR' else 'RU' end as reporter
    from national
    group by all
),

reported as (
    select n.* from national as n inner join chosen as c using (year, flow, reporter)
),

a_month as (
    select flow, hs6, month_start, year(month_start) as year, sum(usd) as a_usd
    from marts.bilateral_sides
    where calendar = 'gregorian' and side = 'A'
    group by all
),

covered as (
    select distinct month_start from marts.bilateral_coverage where calendar = 'gregorian' and side = 'A'
),

years as (
    select distinct year(month_start) as year from marts.bilateral_coverage where calendar = 'gregorian'
    union
    select distinct year from national
),

flows as (
    select distinct flow from national
),

products as (
    select distinct flow, hs6 from national
    union
    select distinct flow, hs6 from a_month where flow in (select flow from flows)
),

reported_years as (
    select distinct flow, year from chosen
),

base as (
    select f.flow, y.year, arg_min(r.year, abs(r.year - y.year) * 2 + (r.year > y.year)::integer) as base_year
    from flows as f
    cross join years as y
    inner join reported_years as r on r.flow = f.flow
    where (f.flow, y.year) not in (select (flow, year) from reported_years)
    group by all
),

flow_months as (
    -- the provinces' trade in the direction per calendar month, in months their customs cover
    select a.flow, year(c.month_start) as year, month(c.month_start) as m, coalesce(sum(a.a_usd), 0) as a_usd
    from covered as c
    cross join flows as f
    left join a_month as a on a.month_start = c.month_start and a.flow = f.flow
    group by all
),

growth as (
    select b.flow, b.year,
           sum(cur.a_usd) as a_now, sum(past.a_usd) as a_then
    from base as b
    inner join flow_months as cur on cur.flow = b.flow and cur.year = b.year
    inner join flow_months as past on past.flow = b.flow and past.year = b.base_year and past.m = cur.m
    group by all
),

yearly as (
    select
        p.flow, p.hs6, y.year,
        case when b.base_year is null then coalesce(r.t_usd, 0)
             else coalesce(rb.t_usd, 0) * case when g.a_now > 0 and g.a_then > 0 then g.a_now / g.a_then else 1 end
        end as t_year,
        case when b.base_year is null then 'comtrade ' || c.reporter else 'carried from ' || b.base_year end
            as t_source,
        c.reporter
    from products as p
    cross join years as y
    left join base as b on b.flow = p.flow and b.year = y.year
    left join chosen as c on c.flow = p.flow and c.year = y.year
    left join reported as r on r.flow = p.flow and r.hs6 = p.hs6 and r.year = y.year
    left join reported as rb on rb.flow = p.flow and rb.hs6 = p.hs6 and rb.year = b.base_year
    left join growth as g on g.flow = p.flow and g.year = y.year
    where b.base_year is not null or c.reporter is not null
),

months as (
    select m.month_start, m.year, m.month_start in (select month_start from covered) as covered,
           (m.month_end - m.month_start + 1)::double as days
    from ref.calendar_months as m
    where m.calendar = 'gregorian' and m.year in (select year from years)
),

spread as (
    select y.*, m.month_start, m.covered, m.days,
           case when m.covered then coalesce(a.a_usd, 0) else 0 end as a_usd
    from yearly as y
    inner join months as m using (year)
    left join a_month as a using (flow, hs6, month_start)
),

weighted as (
    select *,
           sum(a_usd) over w as a_year,
           sum(covered::integer) over w as n_covered,
           sum(days) over w as days_year,
           sum(case when covered then 0 else days end) over w as days_uncovered
    from spread
    window w as (partition by flow, hs6, year)
),

profile as (
    -- a reporter's own monthly figures (marts.bilateral_national_profile, FOB basis), in the years it
    -- gave Comtrade all twelve months of the direction
    select p.flow, p.hs6, p.year, p.reporter, p.month_start,
           sum(p.usd_fob + p.usd_cif / (1 + s.tau) + p.usd_other) as t_month
    from marts.bilateral_national_profile as p
    cross join settings as s
    semi join (
        select flow, year, reporter from marts.bilateral_national_profile
        group by all
        having count(distinct month_start) = 12
    ) as complete using (flow, year, reporter)
    group by all
),

profile_years as (
    select flow, hs6, year, reporter, sum(t_month) as t_months
    from profile
    group by all
    having sum(t_month) > 0
),

timing as (
    -- per product and year, whose months time the year's total: the level's reporter's own, else the
    -- other reporter's
    select p.flow, p.hs6, p.year, c.reporter,
           arg_min(p.reporter, (p.reporter <> c.reporter)::integer) as timed_by
    from profile_years as p
    inner join chosen as c using (flow, year)
    group by all
)

select
    w.flow, w.hs6, w.year, w.month_start,
    case when tm.timed_by is not null then w.t_year * coalesce(mo.t_month, 0) / py.t_months
         when w.a_year > 0 and w.covered then w.t_year * (w.n_covered / 12.0) * w.a_usd / w.a_year
         when w.a_year > 0 then w.t_year * coalesce((1 - w.n_covered / 12.0) * w.days / nullif(w.days_uncovered, 0), 0)
         else w.t_year * w.days / w.days_year
    end as t_usd,
    w.t_source || case when tm.timed_by is null then ''
                       when tm.timed_by = w.reporter then ' monthly'
                       else ' timed by ' || tm.timed_by || ' monthly' end as t_source
from weighted as w
left join timing as tm
    on tm.flow = w.flow and tm.hs6 = w.hs6 and tm.year = w.year and tm.reporter = w.reporter
    and w.t_source like 'comtrade %'
left join profile_years as py on py.flow = w.flow and py.hs6 = w.hs6 and py.year = w.year and py.reporter = tm.timed_by
left join profile as mo on mo.flow = w.flow and mo.hs6 = w.hs6 and mo.month_start = w.month_start
    and mo.reporter = tm.timed_by

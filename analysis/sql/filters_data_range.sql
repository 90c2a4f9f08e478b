-- First and last day of the whole months with data the dashboard shows: the focus regions' own
-- reports and the focus countries' national trade with each other (as marts.reported). An
-- all-regions FCS file going back to 2013 for other regions does not stretch the default period;
-- a warehouse holding none of these falls back to all its rows.
-- A source whose periods do not follow Gregorian months (a Jalali month ending on 20 January)
-- would otherwise make a partial month the default end of every view.
with focus_countries as (
    select distinct country from ref.focus
),

shown as (
    select period_start, period_end
    from core.flows
    where reporter_region in (select code from ref.focus)
       or (reporter_region is null
           and reporter_country in (select country from focus_countries)
           and partner_country in (select country from focus_countries)
           and partner_country <> reporter_country)
),

span as (
    select
        coalesce((select min(period_start) from shown), (select min(period_start) from core.flows)) as first_day,
        coalesce((select max(period_end) from shown), (select max(period_end) from core.flows)) as last_day
)

select
    case when day(first_day) = 1 then first_day
         else (date_trunc('month', first_day) + interval 1 month)::date end as first_day,
    case when last_day = last_day(last_day) then last_day
         else (date_trunc('month', last_day) - interval 1 day)::date end as last_day
from span

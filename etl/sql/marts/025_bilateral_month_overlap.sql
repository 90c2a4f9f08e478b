-- marts.bilateral_month_overlap: for each Jalali month, the Gregorian months it overlaps and the share
-- of each Gregorian month's days inside it. The estimator builds Volgograd's side and the national
-- totals on Gregorian months (the calendar of Russian customs and Comtrade) and carries them to Jalali
-- months with these shares, as marts.grid spreads any observation by its days.
select j.month_start as month_start, g.month_start as g_month,
       (least(j.month_end, g.month_end) - greatest(j.month_start, g.month_start) + 1)::double
           / (g.month_end - g.month_start + 1) as share
from ref.calendar_months as j
inner join ref.calendar_months as g
    on g.calendar = 'gregorian' and g.month_start <= j.month_end and g.month_end >= j.month_start
where j.calendar = 'jalali'

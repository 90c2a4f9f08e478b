-- First and last day with data; the period filter clamps to this range.
select
    min(period_start) as first_day,
    max(period_end) as last_day
from core.flows

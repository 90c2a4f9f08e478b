-- What each side's customs reported per month about the trade between the two countries (the
-- provinces with Russia, the partner region with Iran), flows from the provinces' side.
select month_start, year, month, label, source, flow, sum(value) as value
from selected.reported($filters)
where with_other_side
group by all
order by month_start, source, flow

-- Published figures beside what the warehouse says for the same reporter, partner and period.
select *
from marts.published_vs_data
order by published desc nulls last, id

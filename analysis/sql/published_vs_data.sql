-- Published figures beside what the warehouse says for the same reporter, partner and period
-- (published tonnes also in kg, the unit every other weight is in).
select *, published_tonnes * 1000 as published_kg
from marts.published_vs_data
order by published desc nulls last, id

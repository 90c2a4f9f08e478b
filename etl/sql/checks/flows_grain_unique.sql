-- One row per source record.
select source, file, row, count(*) as n
from core.flows
group by all
having count(*) > 1

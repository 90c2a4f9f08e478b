-- Complementarity and concentration per province, year and direction, in the selected years.
select s.*
from marts.structure as s
semi join selected.cells($filters) as c using (calendar, year, province, flow)
order by s.year, s.province, s.flow

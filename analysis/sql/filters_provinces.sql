-- The provinces a URL may select: the focus regions on the provinces' side (ref.focus).
select code
from ref.focus
where side = 'province'
order by code

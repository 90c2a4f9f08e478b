-- The sector keys a URL may select, in display order.
select sector
from ref.sector_names
order by sort, sector

-- Sector names in the three languages, for analysis.names.Names.
select sector as code, name_en, name_fa, name_ru
from ref.sector_names
order by sort, sector

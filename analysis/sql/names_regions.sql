-- Region (province, oblast) names in the three languages, for analysis.names.Names.
select code, name_en, name_fa, name_ru
from ref.regions
order by code

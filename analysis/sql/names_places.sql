-- Port, crossing and city names in the three languages, for analysis.names.Names.
select key as code, name_en, name_fa, name_ru
from ref.places
order by key

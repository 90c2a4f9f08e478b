-- Country names in the three languages, for analysis.names.Names.
select iso2 as code, name_en, name_fa, name_ru
from ref.countries
order by iso2

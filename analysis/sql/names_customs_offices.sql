-- Customs office and port names in the three languages, for analysis.names.Names.
select office as code, name_en, name_fa, name_ru
from ref.customs_offices
order by office

-- HS section (Roman numeral) names in the three languages, for analysis.names.Names.
select section as code, name_en, name_fa, name_ru
from ref.hs_sections
order by section

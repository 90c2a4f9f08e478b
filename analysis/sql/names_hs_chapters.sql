-- HS chapter (2-digit) names in the three languages, for analysis.names.Names.
select hs2 as code, name_en, name_fa, name_ru
from ref.hs_chapters
order by hs2

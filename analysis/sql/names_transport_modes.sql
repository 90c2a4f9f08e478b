-- Transport mode names in the three languages, for analysis.i18n.Names.
select mode as code, name_en, name_fa, name_ru
from ref.transport_modes
order by sort, mode

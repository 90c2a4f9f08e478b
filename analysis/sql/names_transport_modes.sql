-- Transport mode names in the three languages, for analysis.names.Names.
select mode as code, name_en, name_fa, name_ru
from ref.transport_modes
order by sort, mode

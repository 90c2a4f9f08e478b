-- Ports, crossings and cities for the routes map (GeoNames coordinates).
select key, kind, country, region, lat, lon, name_en, name_fa, name_ru, credit, note
from ref.places
order by key

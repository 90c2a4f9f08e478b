-- Every partner is a country of the reference list (ISO, the FCS's own codes, NNN undisclosed, W00 world).
select f.source, f.file, f.row, f.partner_country
from core.flows as f
left join ref.countries as c on c.iso2 = f.partner_country
where c.iso2 is null

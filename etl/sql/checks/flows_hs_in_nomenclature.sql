-- Every HS code joins the HS 2022 nomenclature and gets a sector.
select f.source, f.file, f.row, f.hs_code
from core.flows as f
left join ref.hs as h on h.code = coalesce(f.hs6, f.hs4, f.hs2)
where f.hs_code is not null and (h.code is null or f.sector is null)

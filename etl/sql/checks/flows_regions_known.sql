-- Every region code is in the reference table and belongs to the row's country.
select f.source, f.file, f.row, f.reporter_region, f.partner_region
from core.flows as f
left join ref.regions as r on r.code = f.reporter_region
left join ref.regions as p on p.code = f.partner_region
where (f.reporter_region is not null and (r.code is null or r.country <> f.reporter_country))
   or (f.partner_region is not null and (p.code is null or p.country <> f.partner_country))

-- Untapped potential per province and product over the selected years (sums over years);
-- partner_carried_from: the last full year of the partner's figures where they stand in for silent years.
select
    p.province, p.flow, p.hs6, any_value(h.name_en) as name_en, any_value(p.sector) as sector,
    sum(p.supply_usd) as supply_usd, sum(p.demand_usd) as demand_usd, sum(p.potential_usd) as potential_usd,
    sum(p.bilateral_usd) as bilateral_usd, sum(p.untapped_usd) as untapped_usd,
    min(p.partner_months) as min_partner_months, count(*) as years,
    max(p.partner_year) filter (where p.partner_carried) as partner_carried_from
from marts.potential as p
semi join selected.cells($filters) as c using (calendar, year, province, flow, sector)
left join ref.hs as h on h.code = p.hs6
group by p.province, p.flow, p.hs6
order by untapped_usd desc

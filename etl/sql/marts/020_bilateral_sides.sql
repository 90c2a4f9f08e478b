-- marts.bilateral_sides: what each side's customs report of the province <-> Volgograd trade, per
-- calendar month, product (hs6) and direction, the direction always from the provinces' side
-- (marts.reported):
--   side 'A', region = a focus province: the province's trade with Russia (Iranian customs);
--   side 'B', region = Volgograd: Volgograd's trade with Iran (Russian customs).
-- Values stay on the basis each source recorded (FOB, CIF, unknown); the estimator converts them to
-- one basis (etl/estimate/inputs.py).
select
    calendar, month_start, year,
    case side when 'province' then 'A' else 'B' end as side,
    region, flow, hs6,
    coalesce(sum(value_usd) filter (where value_basis = 'FOB'), 0)::double as usd_fob,
    coalesce(sum(value_usd) filter (where value_basis = 'CIF'), 0)::double as usd_cif,
    coalesce(sum(value_usd) filter (where value_basis not in ('FOB', 'CIF') or value_basis is null), 0)::double
        as usd_other,
    sum(value_usd)::double as usd_reported,
    sum(net_kg) as kg
from marts.reported
where side in ('province', 'partner') and with_other_side and hs6 is not null
group by all

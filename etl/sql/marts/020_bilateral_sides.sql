-- marts.bilateral_sides: what each side's customs report of the province <-> Volgograd trade, per
-- calendar month, product (hs6) and direction, the direction always from the provinces' side
-- (marts.reported):
--   side 'A', region = a focus province: the province's trade with Russia (Iranian customs);
--   side 'B', region = Volgograd: Volgograd's trade with Iran (Russian customs).
-- usd is on the estimator's basis, FOB: an importer's CIF figure loses the margin τ
-- (marts.bilateral_settings); figures of unknown basis stay as they are. usd_fob, usd_cif, usd_other
-- keep the parts each source recorded, usd_reported their sum.
with parts as (
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
)

select p.*, p.usd_fob + p.usd_cif / (1 + s.cif_fob_margin) + p.usd_other as usd
from parts as p
cross join marts.bilateral_settings as s

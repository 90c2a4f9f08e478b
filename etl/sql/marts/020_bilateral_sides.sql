-- marts.bilateral_sides: what each side's customs report of the province <-> Volgograd trade, per
-- calendar month, product (hs6) and direction, the direction always from the provinces' side:
--   side 'A', region = a focus province: the province's trade with Russia (Iranian customs);
--   side 'B', region = Volgograd: Volgograd's trade with Iran (Russian customs), its flow flipped
--   (Volgograd's imports are the provinces' exports).
-- Values stay on the basis each source recorded (FOB, CIF, unknown); the estimator converts them to
-- one basis (etl/estimate/inputs.py).
with focus as (
    select code from ref.regions where is_focus = '1' and country = 'IR'
),

volgograd as (
    select code from ref.regions where is_focus = '1' and country = 'RU'
),

reported as (
    select
        calendar, month_start, year, hs6, value_basis, value_usd, net_kg,
        case when source = 'iran_customs' then 'A' else 'B' end as side,
        reporter_region as region,
        case when source = 'iran_customs' then flow
             else (case flow when 'import' then 'export' else 'import' end) end as flow
    from marts.grid
    where hs6 is not null
      and ((source = 'iran_customs' and partner_country = 'RU' and reporter_region in (select code from focus))
        or (source = 'russia_customs' and partner_country = 'IR' and reporter_region in (select code from volgograd)))
)

select
    calendar, month_start, year, side, region, flow, hs6,
    coalesce(sum(value_usd) filter (where value_basis = 'FOB'), 0)::double as usd_fob,
    coalesce(sum(value_usd) filter (where value_basis = 'CIF'), 0)::double as usd_cif,
    coalesce(sum(value_usd) filter (where value_basis not in ('FOB', 'CIF') or value_basis is null), 0)::double
        as usd_other,
    sum(value_usd)::double as usd_reported,
    sum(net_kg) as kg
from reported
group by all

-- core.superseded_months: a Comtrade reporter's monthly records (freq M) for a year that its annual
-- record of the same partner, flow and product also covers. Both tell the same trade, so a sum over
-- them counts it twice: marts.grid keeps the annual record — Comtrade's reference series, the one
-- every reporter gives — and leaves these months out. They stay in core.flows, and the estimator
-- takes the national trade's timing from them (marts.bilateral_national_profile).
with annual as (
    select distinct reporter_country, partner_country, flow, coalesce(hs_code, '') as hs_code,
           year(period_start) as year
    from core.flows
    where source = 'comtrade' and freq = 'A'
)

select f.flow_id
from core.flows as f
semi join annual as a
    on a.reporter_country = f.reporter_country and a.partner_country = f.partner_country and a.flow = f.flow
    and a.hs_code = coalesce(f.hs_code, '') and a.year = year(f.period_start)
where f.source = 'comtrade' and f.freq = 'M'

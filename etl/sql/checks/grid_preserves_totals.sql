-- The monthly grid of each calendar adds up to core.flows to the cent, per source (without the
-- Comtrade months an annual record of the same year holds, core.superseded_months).
with flows as (
    select source, sum(round(value_usd * 100))::bigint as cents
    from core.flows
    anti join core.superseded_months using (flow_id)
    group by all
),

grid as (
    select calendar, source, sum(cents)::bigint as cents from marts.grid group by all
)

select g.calendar, g.source, g.cents, f.cents
from grid as g
full join flows as f using (source)
where g.cents is distinct from f.cents

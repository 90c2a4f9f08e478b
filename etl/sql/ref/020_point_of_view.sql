-- ref.point_of_view: a flow as its reporter recorded it -> the same flow from the provinces' side.
-- The provinces' country keeps its flows; the partner's country reports them the other way round
-- (Volgograd's imports from Iran are the provinces' exports). The only place the flow is turned.
with countries as (
    select distinct country, side from ref.focus
),

flows as (
    select unnest(['export', 'import']) as reported_flow
)

select
    c.country,
    c.side,
    f.reported_flow,
    case when c.side = 'province' then f.reported_flow
         when f.reported_flow = 'import' then 'export'
         else 'import' end as flow
from countries as c
cross join flows as f

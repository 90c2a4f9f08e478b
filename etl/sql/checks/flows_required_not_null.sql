-- Columns every observation must have.
select source, file, row
from core.flows
where source is null or file is null or row is null or load_id is null or is_sample is null
   or reporter_country is null or partner_country is null
   or flow not in ('export', 'import') or flow is null
   or period_start is null or period_end is null or period_end < period_start
   or calendar not in ('gregorian', 'jalali') or freq not in ('M', 'Q', 'A')
   or value_usd is null or value_usd < 0 or net_kg < 0
   or value_basis not in ('FOB', 'CIF', 'unknown')
   or transport_mode not in ('sea', 'inland_water', 'rail', 'road', 'air', 'other', 'unknown')

-- Reported trade by year: the three provinces with Russia (Iranian customs) and Volgograd with
-- Iran (Russian customs). Annual and monthly records are counted in the year they start.
select
    year(period_start) as year,
    source,
    reporter_region,
    flow,
    sum(value_usd) as value_usd,
    sum(net_kg) as net_kg,
    count(*) as records
from core.flows
where (source = 'iran_customs' and reporter_region in ('IR-01', 'IR-02', 'IR-27') and partner_country = 'RU')
   or (source = 'russia_customs' and reporter_region = 'RU-VGG' and partner_country = 'IR')
group by all
order by year, source, reporter_region, flow

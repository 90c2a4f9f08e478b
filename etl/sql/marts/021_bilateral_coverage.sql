-- marts.bilateral_coverage: the months in which each side's customs report anything at all for a
-- region (any product, any partner): a province's Iranian customs files (side 'A') and Volgograd's
-- Russian customs files (side 'B'). A month a source does not cover is unknown, not zero.
select distinct calendar, month_start, year, case side when 'province' then 'A' else 'B' end as side, region
from marts.reported
where side in ('province', 'partner')

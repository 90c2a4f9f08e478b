-- marts.bilateral_coverage: the months in which each side's customs report anything at all for a
-- region (any product, any partner): a province's Iranian customs files (side 'A') and Volgograd's
-- Russian customs files (side 'B'). A month a source does not cover is unknown, not zero.
with focus as (
    select code from ref.regions where is_focus = '1' and country = 'IR'
),

volgograd as (
    select code from ref.regions where is_focus = '1' and country = 'RU'
)

select distinct calendar, month_start, year,
       case when source = 'iran_customs' then 'A' else 'B' end as side,
       reporter_region as region
from marts.grid
where (source = 'iran_customs' and reporter_region in (select code from focus))
   or (source = 'russia_customs' and reporter_region in (select code from volgograd))

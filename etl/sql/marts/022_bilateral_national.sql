-- marts.bilateral_national: Russia <-> Iran national trade per Gregorian year, product (hs6),
-- direction (from the provinces' side) and reporter, as each told UN Comtrade, on the basis each
-- recorded. The estimator chooses the reporter and converts the basis (etl/estimate/inputs.py).
select year, hs6, reporter, flow, sum(usd_fob) as usd_fob, sum(usd_cif) as usd_cif, sum(usd_other) as usd_other
from marts.bilateral_national_months
group by all

-- Where the association ψ of the estimate in view came from (marts.bilateral.psi_source: direct,
-- regression, pooled, default): each source, its cells and its share of the estimated value, largest
-- first. Cells without an estimate have no ψ and are left out.
select
    psi_source,
    count(*) as cells,
    sum(estimate_usd) as estimate_usd,
    sum(estimate_usd) / nullif(sum(sum(estimate_usd)) over (), 0) as share
from selected.estimate($filters)
where psi_source is not null and estimate_usd is not null
group by psi_source
order by estimate_usd desc, psi_source

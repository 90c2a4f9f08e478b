-- Each agreed target against the estimate per calendar (Gregorian) year that the selected months
-- touch, with the estimate's 80 % interval (p10_usd, p90_usd: marts.bilateral_sums over the province's
-- year, both directions, every sector — the turnover the target names) and its methods: the gap, the
-- share reached, and the annual growth that would reach the target within
-- $horizon years from that year's estimate, (target / estimate)^(1 / horizon) − 1 (none without a
-- positive estimate). Targets are agreed per calendar year, so Jalali views read the years their
-- months fall in.
with span as (
    select year(min(month_start)) as first_year, year(max(month_end)) as last_year
    from selected.cells($filters)
),

intervals as (
    select province, year, p10 as p10_usd, p90 as p90_usd
    from marts.bilateral_sums('gregorian', date '1900-01-01', date '2999-12-31', null, null, null,
                              by_year := true, by_province := true)
),

methods as (
    select
        province, year,
        list({'method': method, 'share': coalesce(estimate_usd / nullif(total, 0), 0)}
             order by estimate_usd desc nulls last, method) as methods
    from (
        select province, year, method, sum(estimate_usd) as estimate_usd,
               sum(sum(estimate_usd)) over (partition by province, year) as total
        from marts.bilateral
        where calendar = 'gregorian'
        group by province, year, method
    )
    group by all
)

select
    t.target_id, t.reporter_region, t.partner_region, t.metric, t.target_usd, t.from_year, t.agreed, t.url, t.year,
    t.estimate_usd, i.p10_usd, i.p90_usd, t.lower_usd, t.upper_usd, m.methods, t.months,
    t.target_usd - t.estimate_usd as gap_usd,
    t.estimate_usd / nullif(t.target_usd, 0) as share_of_target,
    case when t.estimate_usd > 0 and t.target_usd >= 0
         then power(t.target_usd / t.estimate_usd, 1 / $horizon::double) - 1 end as growth_needed,
    $horizon::integer as horizon_years,
    t.months >= 12 as complete_year
from marts.targets as t
inner join span as s on t.year between s.first_year and s.last_year
left join intervals as i on i.province = t.reporter_region and i.year = t.year
left join methods as m on m.province = t.reporter_region and m.year = t.year
order by t.target_id, t.year

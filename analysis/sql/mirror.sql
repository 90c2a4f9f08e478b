-- Exporter-reported against importer-reported national trade per HS chapter, summed over the
-- selected years in which both report it: the gap M − X·(1 + τ), its relative size, and a flag when
-- that is above the threshold or cannot be computed (one side silent in every selected year). τ and the threshold are parameters. A chapter
-- is in view when one of the selected sectors lies in it.
with years as (
    select distinct calendar, year from selected.cells($filters)
),

chapters as (
    select distinct left(s.hs_prefix, 2) as hs2
    from ref.sectors as s
    semi join selected.cells($filters) as c using (sector)
),

pairs as (
    -- summed over the years both report; a chapter only one side reports keeps its row, without a gap
    select
        m.hs2, m.exporter, m.importer,
        sum(m.x_usd) filter (where m.m_usd is not null) as x_usd,
        sum(m.m_usd) filter (where m.x_usd is not null) as m_usd,
        count(*) filter (where m.x_usd is not null and m.m_usd is not null) as years,
        count(*) filter (where m.x_usd is null or m.m_usd is null) as one_sided_years
    from marts.mirror as m
    semi join years using (calendar, year)
    semi join chapters using (hs2)
    group by all
),

gaps as (
    select *, $tau::double as tau, m_usd - x_usd * (1 + $tau) as gap_usd,
           (m_usd - x_usd * (1 + $tau)) / nullif(x_usd * (1 + $tau), 0) as relative_gap
    from pairs
)

select *, coalesce(abs(relative_gap) > $threshold, true) as flagged
from gaps
order by hs2, exporter

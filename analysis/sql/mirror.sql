-- Exporter-reported against importer-reported national trade by year and HS chapter, with the
-- gap M − X·(1 + τ) and its relative size; τ and the flag threshold are parameters.
select
    m.year, m.hs2, m.exporter, m.importer, m.x_usd, m.m_usd,
    $tau::double as tau,
    m.m_usd - m.x_usd * (1 + $tau) as gap_usd,
    (m.m_usd - m.x_usd * (1 + $tau)) / nullif(m.x_usd * (1 + $tau), 0) as relative_gap,
    coalesce(abs((m.m_usd - m.x_usd * (1 + $tau)) / nullif(m.x_usd * (1 + $tau), 0)) > $threshold, true) as flagged
from marts.mirror as m
where m.calendar = $calendar
  and m.year between $year_from and $year_to
  and (m.hs2 in (select s.hs_prefix from ref.sectors as s where s.sector in (select unnest($sectors::varchar[])))
       or m.hs2 in (select left(s.hs_prefix, 2) from ref.sectors as s
                    where length(s.hs_prefix) = 4 and s.sector in (select unnest($sectors::varchar[]))))
order by m.year, m.hs2, m.exporter

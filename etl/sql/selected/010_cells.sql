-- selected.cells(filters): every cell the dashboard's filters select — calendar month × province ×
-- direction × sector. The one place where the filters meet the data: every page query joins it
-- (or selected.estimate / selected.reported, which do). `filters` is the struct bound by
-- analysis.filters.Filters.bound(): calendar, provinces, flows, sectors, date_from, date_to.
select m.calendar, m.month_start, m.month_end, m.year, m.month, m.label, p.province, f.flow, s.sector
from ref.calendar_months as m,
    unnest(filters['provinces']) as p(province),
    unnest(filters['flows']) as f(flow),
    unnest(filters['sectors']) as s(sector)
where m.calendar = filters['calendar']
  and m.month_start between filters['date_from'] and filters['date_to']

-- selected.cells(filters): every cell the dashboard's filters select — calendar month × province ×
-- direction × sector. The one place where the filters meet the data: every page query joins it
-- (or selected.estimate / selected.reported, which do). `filters` is the struct bound by
-- analysis.filters.Filters.bound(): calendar, provinces, flows, sectors, date_from, date_to.
with months as (
    select calendar, month_start, month_end, year, month, label
    from ref.calendar_months
    where calendar = filters['calendar']
      and month_start between filters['date_from'] and filters['date_to']
)

select m.*, p.province, f.flow, s.sector
from months as m
cross join (select unnest(filters['provinces']) as province) as p
cross join (select unnest(filters['flows']) as flow) as f
cross join (select unnest(filters['sectors']) as sector) as s

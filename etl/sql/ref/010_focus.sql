-- ref.focus: the regions this product is about, and on which side of the trade each stands.
-- The provinces (Gilan, Mazandaran, Golestan) are the Iranian regions flagged `is_focus` in
-- data/reference/regions.csv; the partner (Volgograd oblast) is every other focus region. Every
-- number on the read side is told from the provinces' side: ref.point_of_view turns the other
-- side's flows round.
select
    code,
    country,
    case when country = 'IR' then 'province' else 'partner' end as side
from ref.regions
where is_focus = '1'

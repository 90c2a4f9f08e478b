-- What each side's customs reported about the trade between the two countries per direction, for
-- the headline figures' context: the provinces' trade with Russia, Volgograd's with Iran.
select
    flow,
    sum(value) filter (where side = 'province') as reported_provinces,
    sum(value) filter (where side = 'partner') as reported_partner
from selected.reported($filters)
where with_other_side
group by flow
order by flow

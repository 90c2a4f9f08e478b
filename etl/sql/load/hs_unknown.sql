-- Rows whose HS code is not in the HS 2022 nomenclature (its first six digits, or the whole code when
-- shorter), named by the column the source writes codes in.
insert into load.late
select
    a.file_id,
    a.row,
    c.code as "column",
    a.hs_code as value,
    '''' || left(a.hs_code, 6) || ''' is not a code of the HS 2022 nomenclature; check the tariff code' as reason
from load.accepted as a
left join load.codes as c on c.kind = 'hs_column' and c.key = a.source
anti join load.hs as h on h.code = case when length(a.hs_code) >= 6 then left(a.hs_code, 6) else a.hs_code end
where a.hs_code is not null

-- The load step's own tables, in the database attached as `load` (a file beside the warehouse, deleted
-- after the refresh). Every file a refresh reads gets a file_id (its place in the list: messages name
-- the earlier of two rows by it); every data row an adapter read is one row of load.rows, accepted or
-- with the first problem found in it.
create table load.files (
    file_id integer primary key,
    file varchar not null,  -- the name messages use: the path inside the raw folder
    source varchar,
    total_rows integer  -- data rows read: accepted or rejected by the adapter
);

create table load.rows (
    file_id integer not null,
    row integer not null,  -- 1-based row as a spreadsheet shows it
    reporter_country varchar,
    reporter_region varchar,
    partner_country varchar,
    partner_region varchar,
    flow varchar,
    hs_code varchar,
    period_start date,
    period_end date,
    calendar varchar,
    freq varchar,
    period_label varchar,
    value_usd double,
    value_basis varchar,
    net_kg double,
    qty double,
    qty_unit varchar,
    value_native double,
    currency_native varchar,
    transport_mode varchar,
    customs_office varchar,
    flags varchar,
    -- the first problem of a rejected row (reason NULL: the adapter accepted it)
    reject_column varchar,
    reject_value varchar,
    reject_reason varchar,
    -- what the row loads with that a reference list did not know: the cell of each kind of warning
    -- its adapter gives (load.warning_kinds), NULL when none
    warn_1 varchar,
    warn_2 varchar,
    key_hash ubigint  -- record_key(…): what the row is about (etl/sql/load/duplicates.sql)
);

-- What each file of a format checked in SQL says about itself, beside its cells until its format's
-- files are checked together (etl.session.LoadSession.stage): the header's labels (for messages), each
-- numeric column's decimal mark and whether it also holds the other one, which columns it has.
create table load.iran_customs_params (
    file_id integer primary key,
    hint varchar,  -- the flow the title rows or the file name say ('export' | 'import'), or NULL
    period_from varchar,  -- 'period' | 'month' | 'year'
    has_flow boolean, has_province boolean, has_office boolean, has_mode boolean, has_usd boolean,
    label_period varchar, label_flow varchar, label_province varchar, label_office varchar,
    label_partner varchar, label_hs varchar,
    label_kg varchar, label_tonnes varchar, label_usd varchar, label_rial varchar,
    mark_kg varchar, mark_tonnes varchar, mark_usd varchar, mark_rial varchar,
    mixed_kg boolean, mixed_tonnes boolean, mixed_usd boolean, mixed_rial boolean
);

create table load.russia_customs_params (
    file_id integer primary key,
    has_unit boolean,
    label_direction varchar, label_period varchar, label_country varchar, label_hs varchar,
    label_value varchar, label_netto varchar, label_qty varchar, label_region varchar,
    mark_value varchar, mark_netto varchar, mark_qty varchar,
    mixed_value boolean, mixed_netto boolean, mixed_qty boolean
);

-- What each kind of warning of a file says: the column (as the file names it) and the reason.
create table load.warning_kinds (
    file_id integer not null,
    kind integer not null,  -- 1: load.rows.warn_1, 2: warn_2
    "column" varchar,
    reason varchar not null
);

-- Rejected rows found by a Python adapter, and problems that refuse a whole file (row NULL).
create table load.rejects (
    file_id integer not null,
    row integer,
    "column" varchar,
    value varchar,
    reason varchar not null
);

-- Rows rejected after their adapter, by the checks that need every row (HS code outside the
-- nomenclature, duplicates and conflicts).
create table load.late (
    file_id integer not null,
    row integer not null,
    "column" varchar,
    value varchar,
    reason varchar not null
);

-- Lookups from data/reference and the adapters' constants: kind, key (name_key of a name, or a code),
-- code. And the months of both calendars (etl.periods.calendar_months).
create table load.codes (kind varchar not null, key varchar not null, code varchar);
create table load.fx (month varchar primary key, rial_per_usd double);
create table load.hs (code varchar primary key);
create table load.calendar_months (
    calendar varchar, month_start date, month_end date, year integer, month integer, label varchar
);

-- The rows that load: accepted by their adapter and by the checks over every row, in the staging
-- shape (etl.staging.STAGING_COLUMNS) and their file_id.
create view load.accepted as
select
    f.source, f.file, r.row, r.reporter_country, r.reporter_region, r.partner_country, r.partner_region, r.flow,
    r.hs_code, r.period_start, r.period_end, r.calendar, r.freq, r.period_label, r.value_usd, r.value_basis,
    r.net_kg, r.qty, r.qty_unit, r.value_native, r.currency_native, r.transport_mode, r.customs_office, r.flags,
    r.warn_1, r.warn_2, r.key_hash, r.file_id
from load.rows as r
inner join load.files as f using (file_id)
anti join load.late as l using (file_id, row)
where r.reject_reason is null;

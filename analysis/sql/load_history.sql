-- One row per file of the last load.
select file, source, rows_total, rows_accepted, rows_rejected, seconds, sha256, loaded_at
from load_history
order by file

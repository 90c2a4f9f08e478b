"""The load session: a DuckDB database where a refresh (or `validate`) puts every file's rows, each
with the first problem found in it, and checks what needs every row at once.

It is an in-memory database of its own, attached as `load` to the connection that builds the
warehouse (or to an in-memory one for `validate`), so that the warehouse file holds only what it
publishes. Its SQL is in etl/sql/load/. Memory is bounded by DuckDB's memory_limit: beyond it DuckDB
writes the load database's blocks to the temp_directory (`spill/` in the working folder beside the
warehouse, deleted afterwards) — without the write-ahead log and checkpoints a file of its own costs.
Nothing in Python holds more than a file's head, a batch of XLSX rows, or the rejected rows shown to
the user.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl import periods, readers
from etl.paths import SQL
from etl.reference import Reference
from etl.staging import AdapterResult, LoadWarning, Reject, to_staging

MEMORY_LIMIT = "1500MB"  # DuckDB spills beyond it; with Python and pandas the process stays under 2 GB
REJECTS_KEPT = 100_000  # rejected rows fetched into Python for messages (all are in the warehouse)
# A format's staged files are checked together once they hold this many rows (or when reading ends):
# its SQL is planned once per batch, not once per file — planning the adapters' long queries costs
# more than checking a file of a few thousand rows.
BATCH_ROWS = 1_000_000


@functools.cache
def sql(name: str) -> str:
    """The text of etl/sql/load/<name>.sql."""
    return (SQL / "load" / f"{name}.sql").read_text(encoding="utf-8")


@dataclass
class FileSummary:
    file_id: int
    rows_total: int
    rows_rejected: int
    rows_warned: int
    value_usd: float


class LoadSession:
    def __init__(self, con: duckdb.DuckDBPyConnection, workdir: Path, ref: Reference, *,
                 memory_limit: str = MEMORY_LIMIT, threads: int | None = None):
        self.con, self.workdir, self.ref = con, workdir, ref
        con.execute("set memory_limit = $m", {"m": memory_limit})
        con.execute("set temp_directory = $t", {"t": str(workdir / "spill")})
        con.execute("set preserve_insertion_order = true")  # rowid = the place of a row in its file
        if threads:
            con.execute("set threads = $n", {"n": threads})
        con.execute("attach ':memory:' as load")  # spills to temp_directory beyond memory_limit
        con.execute(sql("macros"))
        con.execute(sql("tables"))
        self._codes()
        # format -> its staged files: (file_id, field -> header position, first row, rows)
        self._staged: dict[str, list[tuple[int, dict[str, int | None], int, int]]] = {}
        self._constants: dict[str, dict] = {}

    def _codes(self) -> None:
        from etl import sources, warehouse

        ref = self.ref
        kinds = {
            "country": ref.country_by_name, "region": ref.region_by_name, "region_country": ref.region_country,
            "okato": ref.region_by_okato, "office": ref.office_by_name, "office_province": ref.office_province,
            "office_mode": ref.office_mode, "mode": ref.mode_by_name, "unit": ref.unit_by_name,
            "hs_column": {m.NAME: m.HS_COLUMN for m in sources.adapters()},
        }
        for module in sources.adapters():
            kinds.update(getattr(module, "CODES", {}))
        codes = pd.DataFrame([(kind, key, code) for kind, mapping in kinds.items() for key, code in mapping.items()],
                             columns=["kind", "key", "code"])
        fx = pd.DataFrame(list(ref.rial_per_usd.items()), columns=["month", "rial_per_usd"])
        hs = warehouse.hs_nomenclature()[["code"]].dropna().drop_duplicates()
        months = pd.DataFrame(periods.calendar_months(),
                              columns=["calendar", "month_start", "month_end", "year", "month", "label"])
        for table, frame in (("codes", codes), ("fx", fx), ("hs", hs), ("calendar_months", months)):
            self.con.register("frame", frame)
            # table names are this module's own constants
            self.con.execute(f"insert into load.{table} by name select * from frame")
            self.con.unregister("frame")

    # ---------------------------------------------------------------- files

    def new_file(self, file_id: int, name: str) -> None:
        self.con.execute("insert into load.files (file_id, file) values ($id, $name)", {"id": file_id, "name": name})

    def set_source(self, file_id: int, source: str) -> None:
        self.con.execute("update load.files set source = $s where file_id = $id", {"s": source, "id": file_id})

    def warning_kinds(self, file_id: int, kinds: dict[int, tuple[str | None, str]]) -> None:
        """What warn_1, warn_2 of the file's rows mean: kind -> (column as the file names it, reason)."""
        for kind, (column, reason) in kinds.items():
            self.con.execute("insert into load.warning_kinds values ($id, $kind, $column, $reason)",
                             {"id": file_id, "kind": kind, "column": column, "reason": reason})

    def set_total(self, file_id: int, rows: int) -> None:
        self.con.execute("update load.files set total_rows = $n where file_id = $id", {"n": rows, "id": file_id})

    def run_query(self, name: str, params: dict | None = None) -> list[tuple]:
        return self.con.execute(sql(name), params or {}).fetchall()

    def stage(self, fmt: str, file_id: int, fields: dict[str, int | None], first_row: int, rows: int,
              per_file: dict, constants: dict) -> None:
        """A file whose cells are in load.cells (readers.expose), kept as load.cells_<file_id> with what it
        says about itself (`per_file`: a row of load.<fmt>_params) until its format's SQL checks the
        batch (`flush`); `constants` are that SQL's other parameters, the same for every file."""
        file_id = int(file_id)
        # identifiers only: our own table names and the format's own parameter names
        self.con.execute(f"alter table load.cells rename to cells_{file_id}")
        columns = ", ".join(f"${k} as {k}" for k in per_file)
        self.con.execute(f"insert into load.{fmt}_params by name select $file_id as file_id, {columns}",
                         {"file_id": file_id, **per_file})
        self._staged.setdefault(fmt, []).append((file_id, fields, int(first_row), rows))
        self._constants[fmt] = constants

    def full(self) -> bool:
        """A format's staged files hold BATCH_ROWS rows or more: time to `flush`."""
        return any(sum(s[3] for s in staged) >= BATCH_ROWS for staged in self._staged.values())

    def flush(self) -> dict[int, float]:
        """Check the staged files in one run of each format's SQL (etl/sql/load/<fmt>.sql over the
        temporary view `fields`: the batch's rows with their file_id). Returns each file's share of
        its batch's seconds, by rows."""
        shares: dict[int, float] = {}
        for fmt in list(self._staged):
            staged = self._staged.pop(fmt)
            if not staged:
                continue
            t0 = time.perf_counter()
            # integers and identifiers of our own: file ids, first rows, the format's field names
            parts = [f"select {file_id} as file_id, rowid + {first_row} as row, {readers.field_columns(fields)} "
                     f"from load.cells_{file_id}" for file_id, fields, first_row, _ in staged]
            self.con.execute("create or replace temp view fields as " + " union all ".join(parts))
            self.con.execute(sql(fmt), self._constants[fmt])
            self.con.execute("drop view fields")
            for file_id, _, _, _ in staged:
                self.con.execute(f"drop table load.cells_{file_id}")
            seconds, rows = time.perf_counter() - t0, sum(s[3] for s in staged) or 1
            shares.update({file_id: seconds * n / rows for file_id, _, _, n in staged})
        return shares

    def discard(self, file_id: int) -> None:
        """Forget the rows of a file that turned out unreadable after some were stored (or staged)."""
        for fmt, staged in self._staged.items():
            if any(s[0] == file_id for s in staged):
                self._staged[fmt] = [s for s in staged if s[0] != file_id]
                self.con.execute(f"drop table if exists load.cells_{int(file_id)}")
                self.con.execute(f"delete from load.{fmt}_params where file_id = $id", {"id": file_id})
        self.con.execute("delete from load.rows where file_id = $id", {"id": file_id})
        self.con.execute("delete from load.rejects where file_id = $id", {"id": file_id})
        self.con.execute("delete from load.warning_kinds where file_id = $id", {"id": file_id})

    def file_reject(self, file_id: int, reject: Reject) -> None:
        self.con.execute("insert into load.rejects values ($id, $row, $column, $value, $reason)",
                         {"id": file_id, "row": reject.row, "column": reject.column, "value": reject.value,
                          "reason": reject.reason})

    def add_result(self, file_id: int, result: AdapterResult) -> None:
        """The rows and rejects of an adapter that checks rows in Python (pandas)."""
        self.con.register("frame", to_staging(result.rows))
        self.con.execute(sql("python_rows"), {"id": file_id})
        self.con.unregister("frame")
        rejects = pd.DataFrame([(file_id, r.row, r.column, r.value, r.reason) for r in result.rejects],
                               columns=["file_id", "row", "column", "value", "reason"])
        self.con.register("frame", rejects.astype({"row": "Int64"}))
        self.con.execute("insert into load.rejects by name select * from frame")
        self.con.unregister("frame")
        if result.warnings:
            raise NotImplementedError("warnings of a Python adapter are not stored")

    # ---------------------------------------------------------------- checks over every row

    def check_all(self) -> None:
        """HS codes outside the nomenclature, then duplicates and conflicts among the rows left."""
        self.con.execute(sql("hs_unknown"))
        self.con.execute(sql("duplicates"))

    def summaries(self) -> dict[int, FileSummary]:
        return {r[0]: FileSummary(*r) for r in self.con.execute(sql("file_summary")).fetchall()}

    def rejects(self, files: list[int] | None = None, limit: int = REJECTS_KEPT) -> list[Reject]:
        """The rejected rows, file by file in row order (the first `limit`)."""
        out = self.con.execute(sql("rejects") + " limit $limit", {"limit": limit}).fetchall()
        return [Reject(*r) for r in out]

    def warnings(self) -> list[LoadWarning]:
        return [LoadWarning(*r) for r in self.con.execute(sql("warnings")).fetchall()]

    def flows(self) -> pd.DataFrame:
        """The accepted rows in the staging shape, file by file in row order (for small loads: tests,
        the adapters' `read`)."""
        return to_staging(self.con.execute("select * from load.accepted order by file_id, row").df())

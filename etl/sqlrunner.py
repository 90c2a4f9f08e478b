"""Run the SQL layers in etl/sql/ in filename order.

ref/*.sql and staging/*.sql -> views, core/*.sql and marts/*.sql -> tables, selected/*.sql -> table
macros taking the dashboard's filters (`selected.<name>($filters)`), checks/*.sql -> queries that
must return no rows. Each file is a single SELECT; the runner wraps it, so a model reads top-down
like dbt's (import CTEs -> transform CTEs -> select * from final).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.paths import SQL

LAYERS = (("ref", "view"), ("staging", "view"), ("core", "table"), ("marts", "table"), ("selected", "macro"))


@dataclass
class CheckFailure:
    check: str
    rows: int
    sample: list[tuple]

    def message(self) -> str:
        return f"check {self.check} failed on {self.rows} row(s), e.g. {self.sample[:3]}"


def model_files(layer: str, folder: Path = SQL) -> list[Path]:
    return sorted((folder / layer).glob("*.sql"))


def model_name(path: Path) -> str:
    """'010_flows.sql' -> 'flows' (an optional numeric prefix only orders the files)."""
    stem = path.stem
    head, _, rest = stem.partition("_")
    return rest if head.isdigit() and rest else stem


def run_layers(con: duckdb.DuckDBPyConnection, folder: Path = SQL) -> None:
    for layer, kind in LAYERS:
        con.execute(f"create schema if not exists {layer}")
        for path in model_files(layer, folder):
            # identifiers come from our own file names, never from input
            what = f"macro {layer}.{model_name(path)}(filters) as table" if kind == "macro" else \
                f"{kind} {layer}.{model_name(path)} as"
            con.execute(f"create or replace {what}\n{path.read_text()}")


def run_checks(con: duckdb.DuckDBPyConnection, folder: Path = SQL) -> list[CheckFailure]:
    failures = []
    for path in model_files("checks", folder):
        rows = con.execute(path.read_text()).fetchall()
        if rows:
            failures.append(CheckFailure(model_name(path), len(rows), rows[:5]))
    return failures

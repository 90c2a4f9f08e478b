"""Run the SQL layers in etl/sql/ in filename order.

ref/*.sql and staging/*.sql -> views, core/*.sql and marts/*.sql -> tables, selected/*.sql -> table
macros taking the dashboard's filters (`selected.<name>($filters)`), checks/*.sql -> queries that
must return no rows. Each file is a single SELECT; the runner wraps it, so a model reads top-down
like dbt's (import CTEs -> transform CTEs -> select * from final).

A layer may also hold a Python model, `NNN_name.py` with `model(con)` returning a DataFrame or an
Arrow table, as dbt's Python models: it runs in its place in the order and becomes the table
`layer.name` (the estimator's fitting steps; their numbers are numpy, their SQL stays in the .sql
files). macros/*.sql are complete `create or replace macro` statements, run last.
"""

from __future__ import annotations

import importlib.util
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


def model_files(layer: str, folder: Path = SQL, suffixes: tuple[str, ...] = (".sql",)) -> list[Path]:
    return sorted(p for p in (folder / layer).glob("*") if p.suffix in suffixes)


def model_name(path: Path) -> str:
    """'010_flows.sql' -> 'flows' (an optional numeric prefix only orders the files)."""
    stem = path.stem
    head, _, rest = stem.partition("_")
    return rest if head.isdigit() and rest else stem


def run_layers(con: duckdb.DuckDBPyConnection, folder: Path = SQL) -> None:
    for layer, kind in LAYERS:
        con.execute(f"create schema if not exists {layer}")
        for path in model_files(layer, folder, (".sql", ".py")):
            run_model(con, layer, kind, path)
    for path in model_files("macros", folder):
        con.execute(path.read_text())


def run_model(con: duckdb.DuckDBPyConnection, layer: str, kind: str, path: Path) -> None:
    # identifiers come from our own file names, never from input
    if path.suffix == ".py":
        con.register("model_frame", python_model(path)(con))
        con.execute(f"create or replace table {layer}.{model_name(path)} as select * from model_frame")
        con.unregister("model_frame")
        return
    what = f"macro {layer}.{model_name(path)}(filters) as table" if kind == "macro" else \
        f"{kind} {layer}.{model_name(path)} as"
    con.execute(f"create or replace {what}\n{path.read_text()}")


def python_model(path: Path):
    spec = importlib.util.spec_from_file_location(f"etl_models.{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.model


def run_checks(con: duckdb.DuckDBPyConnection, folder: Path = SQL) -> list[CheckFailure]:
    failures = []
    for path in model_files("checks", folder):
        rows = con.execute(path.read_text()).fetchall()
        if rows:
            failures.append(CheckFailure(model_name(path), len(rows), rows[:5]))
    return failures

"""Given rows / expected rows: each fixture file has expected/<stem>.csv of the rows it loads and,
where it has any, expected/<stem>.rejects.csv and expected/<stem>.warnings.csv.

These pin what a file gives through the whole check (etl.refresh.validate), so that a rewrite of the
reading (issue 11: validation in DuckDB SQL) can be held to the same rows, rejects and warnings.

    python -m tests.expected_rows FIXTURE...   # (re)write the expected files from what the ETL gives now

Writing them is for a new fixture: read every line it writes against the input before committing —
an expected file copied from the output checks nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

COLUMNS = ["row", "reporter_country", "reporter_region", "partner_country", "partner_region", "flow", "hs_code",
           "period_start", "period_end", "freq", "period_label", "value_usd", "value_basis", "net_kg", "qty",
           "qty_unit", "transport_mode", "customs_office", "flags"]
REJECT_COLUMNS = ["row", "column", "value", "reason"]
WARNING_COLUMNS = ["column", "value", "rows", "first_row", "reason"]


def normalised(rows: pd.DataFrame) -> pd.DataFrame:
    out = rows[COLUMNS].copy()
    for c in ("period_start", "period_end"):
        out[c] = out[c].dt.strftime("%Y-%m-%d")
    out["value_usd"] = out["value_usd"].round(2)
    out["net_kg"] = out["net_kg"].round(3)
    out["qty"] = out["qty"].round(3)
    return out.astype("string").fillna("").reset_index(drop=True)


def rejects_frame(rejects) -> pd.DataFrame:
    """Rejected rows of one file as text, in row order (the order checks run in is not part of it)."""
    frame = pd.DataFrame([{"row": r.row, "column": r.column, "value": r.value, "reason": r.reason} for r in rejects],
                         columns=REJECT_COLUMNS)
    frame = frame.sort_values("row", kind="stable") if len(frame) else frame
    return frame.astype("string").fillna("").reset_index(drop=True)


def warnings_frame(warnings) -> pd.DataFrame:
    frame = pd.DataFrame([{"column": w.column, "value": w.value, "rows": w.rows, "first_row": w.first_row,
                           "reason": w.reason} for w in warnings], columns=WARNING_COLUMNS)
    frame = frame.sort_values(["first_row", "column"], kind="stable") if len(frame) else frame
    return frame.astype("string").fillna("").reset_index(drop=True)


def expected_path(fixture: Path, kind: str = "") -> Path:
    return fixture.parent / "expected" / (fixture.stem + (f".{kind}" if kind else "") + ".csv")


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame(columns=columns).astype("string")
    return pd.read_csv(path, dtype=str, keep_default_na=False).astype("string")


def load_expected(fixture: Path) -> pd.DataFrame:
    return _read(expected_path(fixture), COLUMNS)


def load_expected_rejects(fixture: Path) -> pd.DataFrame:
    return _read(expected_path(fixture, "rejects"), REJECT_COLUMNS)


def load_expected_warnings(fixture: Path) -> pd.DataFrame:
    return _read(expected_path(fixture, "warnings"), WARNING_COLUMNS)


def given(fixture: Path, ref=None):
    """What the ETL gives for one fixture file: (report, rows, rejects, warnings) as compared."""
    from etl import refresh
    from etl.reference import Reference

    result, flows = refresh.validate([(fixture, fixture.name)], ref or Reference.load(), max_reject_pct=100)
    return result.files[0], normalised(flows), rejects_frame(result.rejects), warnings_frame(result.warnings)


def write_expected(fixture: Path) -> list[Path]:
    _, rows, rejects, warnings = given(fixture)
    written = []
    for kind, frame in (("", rows), ("rejects", rejects), ("warnings", warnings)):
        path = expected_path(fixture, kind)
        if len(frame) or not kind:
            path.parent.mkdir(exist_ok=True)
            frame.to_csv(path, index=False, lineterminator="\n")
            written.append(path)
        else:
            path.unlink(missing_ok=True)
    return written


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        for p in write_expected(Path(arg)):
            print(p)

"""`python -m etl refresh`: raw files -> checked warehouse -> atomic swap.

Nothing is published unless every file was read, no file was refused and every SQL check
passed; then the live warehouse is replaced in one `os.replace`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from etl import sources, warehouse
from etl.reference import Reference
from etl.staging import FileError, LoadWarning, Reject, empty_staging
from etl.text import map_distinct

DEFAULT_MAX_REJECT_PCT = 5.0
SKIP_SUFFIXES = {".md", ".txt~", ".bak"}
# What one record is about; two rows with the same key are the same record (a duplicate when their
# values agree, a conflict when they do not). `unknown` holds the names kept in flags for what was
# not in the reference lists (two unknown offices are two different offices).
DUPLICATE_KEY = ["source", "reporter_country", "reporter_region", "partner_country", "partner_region", "flow",
                 "hs_code", "period_start", "period_end", "customs_office", "transport_mode", "value_basis", "unknown"]
VALUES = {"value_usd": "value_usd", "net_kg": "net_kg", "qty": "qty"}


@dataclass
class FileReport:
    file: str
    source: str | None = None
    sha256: str = ""
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_warned: int = 0  # accepted rows that loaded with a warning
    value_usd: float = 0.0  # sum over the accepted rows, to hold against the file's own total
    encoding: str = ""
    seconds: float = 0.0
    status: str = "loaded"  # loaded | refused | unreadable
    message: str = ""


@dataclass
class RefreshResult:
    published: bool
    reason: str
    files: list[FileReport] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)
    rows: int = 0
    warnings: list[LoadWarning] = field(default_factory=list)


def list_files(raw: Path) -> list[Path]:
    if not raw.is_dir():
        raise FileNotFoundError(f"the raw folder {raw} does not exist")
    return sorted(p for p in raw.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(raw).parts) and p.suffix.lower() not in SKIP_SUFFIXES)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def named_files(raw: Path) -> list[tuple[Path, str]]:
    """Files of a raw folder with the names messages use: their path inside the folder."""
    return [(p, p.relative_to(raw).as_posix()) for p in list_files(raw)]


def _file_stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def read_all(files: list[tuple[Path, str]], ref: Reference, *, on_file: Callable[[str], None] | None = None
             ) -> tuple[pd.DataFrame, list[FileReport], list[Reject], list[LoadWarning]]:
    """Every file through its adapter; whole-file problems become a report, not an exception."""
    frames, reports, rejects, warnings = [], [], [], []
    seen: dict[str, str] = {}
    for path, name in files:
        if on_file:
            on_file(name)
        report = FileReport(name)
        reports.append(report)
        t0 = time.perf_counter()
        try:
            stamp = _file_stamp(path)
            report.sha256 = sha256(path)
            if report.sha256 in seen:
                raise FileError(Reject(name, None, None, None,
                                       f"same content as {seen[report.sha256]}; remove one of the two copies"))
            seen[report.sha256] = name
            adapter = sources.detect(path, name)
            report.source = adapter.NAME
            result = adapter.read(path, name, ref)
            if result.total_rows == 0:
                raise FileError(Reject(name, None, None, None, "the file has a header but no data rows"))
            if _file_stamp(path) != stamp:  # what was read may not be what was hashed
                raise FileError(Reject(name, None, None, None, "the file changed while it was being read (is it "
                                       "still being copied?); run the refresh again once it is complete"))
        except FileError as e:
            report.status, report.message = "unreadable", e.reject.message()
            rejects.append(e.reject)
        except OSError as e:
            report.status = "unreadable"
            report.message = f"{name} — the file could not be read ({e.strerror or e}); is it still being copied?"
            rejects.append(Reject(name, None, None, None, f"the file could not be read ({e.strerror or e})"))
        else:
            report.rows_total = result.total_rows
            report.encoding = result.encoding
            frames.append(result.rows)
            rejects.extend(result.rejects)
            warnings.extend(result.warnings)
        report.seconds = time.perf_counter() - t0
    flows = pd.concat(frames, ignore_index=True) if frames else empty_staging()
    return flows, reports, rejects, warnings


def check_rows(flows: pd.DataFrame, ref_hs: set[str]) -> tuple[pd.DataFrame, list[Reject]]:
    """Rules that need all rows: HS codes in the nomenclature, no duplicate or conflicting records."""
    rejects: list[Reject] = []
    hs = flows["hs_code"]
    probe = hs.str.slice(0, 6).where(hs.str.len() >= 6, hs)
    unknown = hs.notna() & ~probe.isin(ref_hs).fillna(False)
    hs_column = {m.NAME: m.HS_COLUMN for m in sources.adapters()}
    for r in flows[unknown].itertuples():
        rejects.append(Reject(r.file, int(r.row), hs_column.get(r.source), r.hs_code,
                              f"'{r.hs_code[:6]}' is not a code of the HS 2022 nomenclature; check the tariff code"))
    flows = flows[~unknown]
    flows, more = check_duplicates(flows)
    return flows, rejects + more


def _unknown_names(flags: pd.Series) -> pd.Series:
    """The 'unknown_…=' parts of each row's flags (what the reference lists did not know)."""
    def pick(value: str) -> str:
        return ";".join(p for p in value.split(";") if p.startswith("unknown_"))

    return map_distinct(flags, pick).fillna("").astype("string")


def check_duplicates(flows: pd.DataFrame) -> tuple[pd.DataFrame, list[Reject]]:
    """Rows that describe the same record (DUPLICATE_KEY) twice, in one file or across files. With the
    same values it is a duplicate: the later rows are rejected, naming the first. With different
    values it is a conflict: every row of it is rejected, each naming another and both values — which
    one is right is for the people who sent the files to say, not for the tool to guess."""
    keyed = flows.assign(unknown=_unknown_names(flows["flags"]))
    group = keyed.groupby(DUPLICATE_KEY, dropna=False, sort=False).ngroup().to_numpy()
    size = np.bincount(group)
    repeated = size[group] > 1
    if not repeated.any():
        return flows, []
    pos = np.arange(len(flows))
    first = np.full(len(size), len(flows))
    np.minimum.at(first, group, pos)
    first_of = first[group]
    values = flows[list(VALUES)].to_numpy(dtype="float64")
    same = ((values == values[first_of]) | (np.isnan(values) & np.isnan(values[first_of]))).all(axis=1)
    differs = np.zeros(len(size), dtype=bool)
    np.logical_or.at(differs, group, ~same)
    conflict = repeated & differs[group]
    duplicate = repeated & ~conflict & (pos != first_of)
    # the row a conflicting row is shown against: the group's first row, or for that row the first that differs
    other_pos = np.full(len(size), -1)
    np.maximum.at(other_pos, group, np.where(~same, len(flows) - pos, -1))  # largest = earliest differing
    earliest_diff = len(flows) - other_pos
    against = np.where(pos == first_of, earliest_diff[group], first_of)

    rejects: list[Reject] = []
    files, rows = flows["file"].to_numpy(dtype=object), flows["row"].to_numpy()
    for i in np.flatnonzero(duplicate):
        j = first_of[i]
        rejects.append(Reject(files[i], int(rows[i]), None, None, "duplicate record: same partner, product, period, "
                              f"flow and values as {files[j]} row {rows[j]}"))
    for i in np.flatnonzero(conflict):
        j = against[i]
        rejects.append(Reject(files[i], int(rows[i]), None, None,
                              "conflicting records: same partner, product, period and flow as "
                              f"{files[j]} row {rows[j]} but different values "
                              f"({_shown(values[i])} here, {_shown(values[j])} there); both are left out until "
                              "one is corrected"))
    return flows[~(duplicate | conflict)], rejects


def _shown(v: np.ndarray) -> str:
    return ", ".join(f"{name} {'–' if np.isnan(x) else f'{x:,.2f}'.rstrip('0').rstrip('.')}"
                     for name, x in zip(VALUES, v, strict=True))


def _still_loaded(warnings: list[LoadWarning], rejects: list[Reject]) -> list[LoadWarning]:
    """Warnings count only the rows that load: rows rejected after the adapter (a duplicate, an HS
    code outside the nomenclature) are taken out."""
    gone: dict[str, set[int]] = {}
    for r in rejects:
        if r.row is not None:
            gone.setdefault(r.file, set()).add(r.row)
    kept = (w.without(gone[w.file]) if w.file in gone else w for w in warnings)
    return [w for w in kept if w is not None]


def count_rejects(reports: list[FileReport], rejects: list[Reject], max_reject_pct: float) -> None:
    per_file = pd.Series([r.file for r in rejects if r.row is not None], dtype="string").value_counts()
    for rep in reports:
        if rep.status != "loaded":
            continue
        rep.rows_rejected = int(per_file.get(rep.file, 0))
        rep.rows_accepted = rep.rows_total - rep.rows_rejected
        pct = 100.0 * rep.rows_rejected / rep.rows_total if rep.rows_total else 0.0
        if pct > max_reject_pct:
            rep.status = "refused"
            rep.message = (f"{rep.file}: {rep.rows_rejected} of {rep.rows_total} rows ({pct:.1f} %) rejected, more "
                           f"than the {max_reject_pct:g} % allowed; the whole file is refused — fix it and refresh")


def validate(files: list[tuple[Path, str]], ref: Reference, *, max_reject_pct: float = DEFAULT_MAX_REJECT_PCT,
             on_file: Callable[[str], None] | None = None, on_stage: Callable[[str], None] | None = None
             ) -> tuple[RefreshResult, pd.DataFrame]:
    """Read and check files without writing anything: (result, accepted rows)."""
    flows, reports, rejects, warnings = read_all(files, ref, on_file=on_file)
    if on_stage:
        on_stage("checking rows")
    flows, more = check_rows(flows, set(warehouse.hs_nomenclature()["code"].dropna()))
    rejects += more
    count_rejects(reports, rejects, max_reject_pct)
    warnings = _still_loaded(warnings, rejects)
    totals = flows.groupby("file")["value_usd"].sum()
    for rep in reports:
        rep.rows_warned = len({r for w in warnings if w.file == rep.file for r in w.row_numbers})
        rep.value_usd = float(totals.get(rep.file, 0.0)) if rep.status == "loaded" else 0.0
    result = RefreshResult(False, "validated only; nothing written", reports, rejects, rows=len(flows),
                           warnings=warnings)
    bad = [r for r in reports if r.status != "loaded"]
    if bad:
        result.reason = "nothing published: " + "; ".join(r.message for r in bad)
    return result, flows


def refresh(raw: Path, live: Path, *, ref: Reference | None = None, is_sample: bool = False,
            max_reject_pct: float = DEFAULT_MAX_REJECT_PCT,
            on_file: Callable[[str], None] | None = None, on_stage: Callable[[str], None] | None = None
            ) -> RefreshResult:
    started = dt.datetime.now(dt.UTC)
    ref = ref or Reference.load()
    result, flows = validate(named_files(raw), ref, max_reject_pct=max_reject_pct, on_file=on_file,
                             on_stage=on_stage)
    reports, rejects = result.files, result.rejects
    if not reports:
        result.reason = f"no data files in {raw}; drop customs files there (see docs/formats.md)"
        return result
    if any(r.status != "loaded" for r in reports):
        return result

    load_id = started.strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}"
    digest = hashlib.sha256("".join(sorted(r.sha256 for r in reports)).encode()).hexdigest()[:8]
    flows = flows.assign(is_sample=is_sample)  # from --sample only, never from a file's name
    meta = {
        "version": f"{started:%Y-%m-%d %H:%M:%S}Z/{digest}",
        "schema_version": warehouse.SCHEMA_VERSION,
        "built_at": started.isoformat(timespec="seconds"),
        "load_id": load_id,
        "is_sample": is_sample,
        "raw_dir": str(raw),
        "files": len(reports),
        "rows": len(flows),
    }
    history = pd.DataFrame([{
        "load_id": load_id, "file": r.file, "source": r.source, "sha256": r.sha256, "rows_total": r.rows_total,
        "rows_accepted": r.rows_accepted, "rows_rejected": r.rows_rejected, "rows_warned": r.rows_warned,
        "encoding": r.encoding, "seconds": round(r.seconds, 3),
        "loaded_at": started.replace(tzinfo=None),
    } for r in reports])
    rejected = pd.DataFrame([{
        "load_id": load_id, "file": r.file, "row": r.row, "column": r.column, "value": r.value, "reason": r.reason,
    } for r in rejects], columns=["load_id", "file", "row", "column", "value", "reason"]).astype(
        {"file": "string", "row": "Int64", "column": "string", "value": "string", "reason": "string"})
    warned = pd.DataFrame([{
        "load_id": load_id, "file": w.file, "column": w.column, "value": w.value, "reason": w.reason,
        "rows": w.rows, "first_row": w.first_row,
    } for w in result.warnings], columns=["load_id", "file", "column", "value", "reason", "rows", "first_row"]).astype(
        {"file": "string", "column": "string", "value": "string", "reason": "string", "rows": "Int64",
         "first_row": "Int64"})

    live.parent.mkdir(parents=True, exist_ok=True)
    warehouse.cleanup_stale(live)
    new = warehouse.building_path(live)
    if on_stage:
        on_stage("building the warehouse")
    try:
        warehouse.build(new, warehouse.BuildInput(flows, history, rejected, meta, warned), ref)
        if on_stage:
            on_stage("publishing")
        warehouse.publish(new, live)
    except BaseException:
        new.unlink(missing_ok=True)
        Path(str(new) + ".wal").unlink(missing_ok=True)
        raise
    result.published, result.meta = True, meta
    result.reason = f"published version {meta['version']} to {live}"
    return result

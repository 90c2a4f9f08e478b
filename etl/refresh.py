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

import pandas as pd

from etl import sources, warehouse
from etl.reference import Reference
from etl.staging import FileError, Reject, empty_staging

DEFAULT_MAX_REJECT_PCT = 5.0
SKIP_SUFFIXES = {".md", ".txt~", ".bak"}
DUPLICATE_KEY = ["source", "reporter_country", "reporter_region", "partner_country", "partner_region", "flow",
                 "hs_code", "period_start", "period_end", "customs_office", "transport_mode", "value_basis"]


@dataclass
class FileReport:
    file: str
    source: str | None = None
    sha256: str = ""
    rows_total: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
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
             ) -> tuple[pd.DataFrame, list[FileReport], list[Reject]]:
    """Every file through its adapter; whole-file problems become a report, not an exception."""
    frames, reports, rejects = [], [], []
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
            frames.append(result.rows)
            rejects.extend(result.rejects)
        report.seconds = time.perf_counter() - t0
    flows = pd.concat(frames, ignore_index=True) if frames else empty_staging()
    return flows, reports, rejects


def check_rows(flows: pd.DataFrame, ref_hs: set[str]) -> tuple[pd.DataFrame, list[Reject]]:
    """Rules that need all rows: HS codes in the nomenclature, no duplicate records."""
    rejects: list[Reject] = []
    hs = flows["hs_code"]
    probe = hs.str.slice(0, 6).where(hs.str.len() >= 6, hs)
    unknown = hs.notna() & ~probe.isin(ref_hs).fillna(False)
    hs_column = {m.NAME: m.HS_COLUMN for m in sources.adapters()}
    for r in flows[unknown].itertuples():
        rejects.append(Reject(r.file, int(r.row), hs_column.get(r.source), r.hs_code,
                              f"'{r.hs_code[:6]}' is not a code of the HS 2022 nomenclature; check the tariff code"))
    flows = flows[~unknown]
    dup = flows.duplicated(DUPLICATE_KEY, keep="first")
    if dup.any():
        # each duplicate names the first row of its group (one groupby, not a search per row)
        group = flows.groupby(DUPLICATE_KEY, dropna=False, sort=False)
        first_file, first_row = group["file"].transform("first"), group["row"].transform("first")
        for file, row, orig_file, orig_row in zip(flows["file"][dup], flows["row"][dup], first_file[dup],
                                                  first_row[dup], strict=True):
            rejects.append(Reject(file, int(row), None, None, "duplicate record: same partner, product, period "
                                  f"and flow as {orig_file} row {orig_row}"))
        flows = flows[~dup]
    return flows, rejects


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
    flows, reports, rejects = read_all(files, ref, on_file=on_file)
    if on_stage:
        on_stage("checking rows")
    flows, more = check_rows(flows, set(warehouse.hs_nomenclature()["code"].dropna()))
    rejects += more
    count_rejects(reports, rejects, max_reject_pct)
    result = RefreshResult(False, "validated only; nothing written", reports, rejects, rows=len(flows))
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
    sample_rows = flows["file"].str.contains("synthetic", case=False, regex=False).fillna(False)
    flows = flows.assign(is_sample=is_sample | sample_rows.to_numpy(dtype=bool))
    meta = {
        "version": f"{started:%Y-%m-%d %H:%M:%S}Z/{digest}",
        "schema_version": warehouse.SCHEMA_VERSION,
        "built_at": started.isoformat(timespec="seconds"),
        "load_id": load_id,
        "is_sample": bool(flows["is_sample"].any()),
        "raw_dir": str(raw),
        "files": len(reports),
        "rows": len(flows),
    }
    history = pd.DataFrame([{
        "load_id": load_id, "file": r.file, "source": r.source, "sha256": r.sha256, "rows_total": r.rows_total,
        "rows_accepted": r.rows_accepted, "rows_rejected": r.rows_rejected, "seconds": round(r.seconds, 3),
        "loaded_at": started.replace(tzinfo=None),
    } for r in reports])
    rejected = pd.DataFrame([{
        "load_id": load_id, "file": r.file, "row": r.row, "column": r.column, "value": r.value, "reason": r.reason,
    } for r in rejects], columns=["load_id", "file", "row", "column", "value", "reason"]).astype(
        {"file": "string", "row": "Int64", "column": "string", "value": "string", "reason": "string"})

    live.parent.mkdir(parents=True, exist_ok=True)
    warehouse.cleanup_stale(live)
    new = warehouse.building_path(live)
    if on_stage:
        on_stage("building the warehouse")
    try:
        warehouse.build(new, warehouse.BuildInput(flows, history, rejected, meta), ref)
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

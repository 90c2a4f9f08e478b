"""`python -m etl refresh`: raw files -> checked warehouse -> atomic swap.

Nothing is published unless every file was read, no file was refused and every SQL check
passed; then the live warehouse is replaced in one `os.replace`.

Every file goes through its adapter into a load session (etl.session: a DuckDB file beside the
warehouse, attached to the connection that builds it), where the rows are checked in SQL
(etl/sql/load/): the adapters' checks, then those that need every row — HS codes in the nomenclature,
duplicates and conflicts. Python holds a file's head, per-file counts and the rejected rows shown to
the user, never the rows themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from etl import readers, sources, warehouse
from etl.reference import Reference
from etl.session import LoadSession, sql
from etl.sources.common import Loaded
from etl.staging import FileError, LoadWarning, Reject

DEFAULT_MAX_REJECT_PCT = 5.0
SKIP_SUFFIXES = {".md", ".txt~", ".bak"}


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
    rejects: list[Reject] = field(default_factory=list)  # refused files, then rejected rows (the first REJECTS_KEPT)
    meta: dict[str, object] = field(default_factory=dict)
    rows: int = 0
    warnings: list[LoadWarning] = field(default_factory=list)
    rows_rejected: int = 0  # rejected rows in all (rejects may hold fewer)


class Progress:
    """What a refresh tells while it runs (the command line draws it; the default says nothing)."""

    def file(self, name: str, index: int, total: int) -> None:
        """Reading file `index` (0-based) of `total`."""

    def rows(self, rows: int) -> None:
        """Data rows read so far."""

    def stage(self, text: str, con: duckdb.DuckDBPyConnection | None = None) -> None:
        """A stage begins; `con` runs its queries (for their progress)."""


def list_files(raw: Path) -> list[Path]:
    if not raw.is_dir():
        raise FileNotFoundError(f"the raw folder {raw} does not exist")
    return sorted(p for p in raw.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(raw).parts) and p.suffix.lower() not in SKIP_SUFFIXES)


def sha256(path: Path) -> str:
    return readers.sha256(path)


def scan(path: Path) -> readers.Scan:
    """The file's hash and what decides how it is read (one pass; etl.readers.scan)."""
    return readers.scan(path)


def named_files(raw: Path) -> list[tuple[Path, str]]:
    """Files of a raw folder with the names messages use: their path inside the folder."""
    return [(p, p.relative_to(raw).as_posix()) for p in list_files(raw)]


def _file_stamp(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def load_file(adapter, session: LoadSession, file_id: int, path: Path, name: str, ref: Reference,
              facts: readers.Scan) -> Loaded:
    """A file through its adapter into the session: in SQL (adapters with `load`), or checked in pandas
    (`read`) and stored."""
    if hasattr(adapter, "load"):
        return adapter.load(session, file_id, path, name, ref, facts)
    result = adapter.read(path, name, ref)
    session.add_result(file_id, result)
    return Loaded(result.total_rows, result.encoding)


def read_all(session: LoadSession, files: list[tuple[Path, str]], ref: Reference, progress: Progress
             ) -> list[FileReport]:
    """Every file through its adapter; whole-file problems become a report, not an exception."""
    reports: list[FileReport] = []
    seen: dict[str, str] = {}
    rows = 0
    for file_id, (path, name) in enumerate(files):
        progress.file(name, file_id, len(files))
        report = FileReport(name)
        reports.append(report)
        session.new_file(file_id, name)
        t0 = time.perf_counter()
        try:
            stamp = _file_stamp(path)
            readers.check_size(path, name)  # before reading it: a file above the limit is not hashed
            facts = scan(path)
            report.sha256 = facts.sha256
            if report.sha256 in seen:
                raise FileError(Reject(name, None, None, None,
                                       f"same content as {seen[report.sha256]}; remove one of the two copies"))
            seen[report.sha256] = name
            adapter = sources.detect(path, name)
            report.source = adapter.NAME
            session.set_source(file_id, adapter.NAME)
            loaded = load_file(adapter, session, file_id, path, name, ref, facts)
            if loaded.rows == 0:
                raise FileError(Reject(name, None, None, None, "the file has a header but no data rows"))
            if _file_stamp(path) != stamp:  # what was read may not be what was hashed
                raise FileError(Reject(name, None, None, None, "the file changed while it was being read (is it "
                                       "still being copied?); run the refresh again once it is complete"))
        except FileError as e:
            session.discard(file_id)
            session.file_reject(file_id, e.reject)
            report.status, report.message = "unreadable", e.reject.message()
        except OSError as e:
            session.discard(file_id)
            report.status = "unreadable"
            report.message = f"{name} — the file could not be read ({e.strerror or e}); is it still being copied?"
            reason = f"the file could not be read ({e.strerror or e})"
            session.file_reject(file_id, Reject(name, None, None, None, reason))
        else:
            report.rows_total, report.encoding = loaded.rows, loaded.encoding
            session.set_total(file_id, loaded.rows)
            rows += loaded.rows
            progress.rows(rows)
        report.seconds = time.perf_counter() - t0
        if session.full():
            _add_seconds(reports, session.flush())
    progress.stage("checking the files' rows", session.con)
    _add_seconds(reports, session.flush())  # the files staged for their format's SQL
    return reports


def _add_seconds(reports: list[FileReport], shares: dict[int, float]) -> None:
    """Each file's share of the time its batch's SQL took (etl.session.LoadSession.flush)."""
    for file_id, seconds in shares.items():
        reports[file_id].seconds += seconds


def count_rejects(reports: list[FileReport], session: LoadSession, max_reject_pct: float) -> None:
    """Each file's rejected and warned rows and USD total; a file with more rejected rows than allowed
    is refused."""
    summaries = session.summaries()
    for file_id, rep in enumerate(reports):
        s = summaries[file_id]
        if rep.status != "loaded":
            continue
        rep.rows_rejected = s.rows_rejected
        rep.rows_accepted = rep.rows_total - rep.rows_rejected
        rep.rows_warned = s.rows_warned
        rep.value_usd = float(s.value_usd)
        pct = 100.0 * rep.rows_rejected / rep.rows_total if rep.rows_total else 0.0
        if pct > max_reject_pct:
            rep.status = "refused"
            rep.message = (f"{rep.file}: {rep.rows_rejected} of {rep.rows_total} rows ({pct:.1f} %) rejected, more "
                           f"than the {max_reject_pct:g} % allowed; the whole file is refused — fix it and refresh")


def check(session: LoadSession, files: list[tuple[Path, str]], ref: Reference, *,
          max_reject_pct: float = DEFAULT_MAX_REJECT_PCT, progress: Progress | None = None) -> RefreshResult:
    """Read and check files into the session: every file's report, the rejected rows and warnings."""
    progress = progress or Progress()
    reports = read_all(session, files, ref, progress)
    progress.stage("checking rows across files", session.con)
    session.check_all()
    count_rejects(reports, session, max_reject_pct)
    rows, rejected = session.con.execute(
        "select (select count(*) from load.accepted), (select count(*) from (" + sql("rejects") + ") "
        "where row is not null)").fetchone()
    result = RefreshResult(False, "validated only; nothing written", reports, session.rejects(), rows=rows,
                           warnings=session.warnings(), rows_rejected=rejected)
    bad = [r for r in reports if r.status != "loaded"]
    if bad:
        result.reason = "nothing published: " + "; ".join(r.message for r in bad)
    return result


def validate(files: list[tuple[Path, str]], ref: Reference, *, max_reject_pct: float = DEFAULT_MAX_REJECT_PCT,
             progress: Progress | None = None, keep_rows: bool = True) -> tuple[RefreshResult, pd.DataFrame | None]:
    """Read and check files without writing anything: (result, accepted rows — None unless keep_rows)."""
    with tempfile.TemporaryDirectory(prefix="ctm-validate-") as tmp:
        con = duckdb.connect()
        try:
            session = LoadSession(con, Path(tmp), ref)
            (progress or Progress()).stage("reading files", con)
            result = check(session, files, ref, max_reject_pct=max_reject_pct, progress=progress)
            return result, session.flows() if keep_rows else None
        finally:
            con.close()


def refresh(raw: Path, live: Path, *, ref: Reference | None = None, is_sample: bool = False,
            max_reject_pct: float = DEFAULT_MAX_REJECT_PCT, progress: Progress | None = None) -> RefreshResult:
    started = dt.datetime.now(dt.UTC)
    ref = ref or Reference.load()
    progress = progress or Progress()
    files = named_files(raw)
    if not files:
        return RefreshResult(False, f"no data files in {raw}; drop customs files there (see docs/formats.md)")
    live.parent.mkdir(parents=True, exist_ok=True)
    warehouse.cleanup_stale(live)
    new = warehouse.building_path(live)
    workdir = Path(f"{new}.load")  # the load session's database and temporary files, removed at the end
    workdir.mkdir()
    con = duckdb.connect(str(new))
    try:
        session = LoadSession(con, workdir, ref)
        progress.stage("reading files", con)
        result = check(session, files, ref, max_reject_pct=max_reject_pct, progress=progress)
        if any(r.status != "loaded" for r in result.files):
            con.close()
            _remove(new)
            return result
        meta = _meta(started, raw, is_sample, result)
        progress.stage("building the warehouse", con)
        _stage_for_build(con, meta, is_sample)
        warehouse.build(new, warehouse.BuildInput(None, _history(result, meta, started), None, meta, None), ref,
                        con=con)
        progress.stage("publishing")
        warehouse.publish(new, live)
    except BaseException:
        con.close()
        _remove(new)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.published, result.meta = True, meta
    result.reason = f"published version {meta['version']} to {live}"
    return result


def _remove(new: Path) -> None:
    new.unlink(missing_ok=True)
    Path(str(new) + ".wal").unlink(missing_ok=True)


def _meta(started: dt.datetime, raw: Path, is_sample: bool, result: RefreshResult) -> dict[str, object]:
    digest = hashlib.sha256("".join(sorted(r.sha256 for r in result.files)).encode()).hexdigest()[:8]
    return {
        "version": f"{started:%Y-%m-%d %H:%M:%S}Z/{digest}",
        "schema_version": warehouse.SCHEMA_VERSION,
        "built_at": started.isoformat(timespec="seconds"),
        "load_id": started.strftime("%Y%m%dT%H%M%SZ") + f"-{os.getpid()}",
        "is_sample": is_sample,  # from --sample only, never from a file's name
        "raw_dir": str(raw),
        "files": len(result.files),
        "rows": result.rows,
    }


def _history(result: RefreshResult, meta: dict, started: dt.datetime) -> pd.DataFrame:
    return pd.DataFrame([{
        "load_id": meta["load_id"], "file": r.file, "source": r.source, "sha256": r.sha256,
        "rows_total": r.rows_total, "rows_accepted": r.rows_accepted, "rows_rejected": r.rows_rejected,
        "rows_warned": r.rows_warned, "encoding": r.encoding, "seconds": round(r.seconds, 3),
        "loaded_at": started.replace(tzinfo=None),
    } for r in result.files])


def _stage_for_build(con: duckdb.DuckDBPyConnection, meta: dict, is_sample: bool) -> None:
    """The accepted rows as the view staging.flows_raw, and the rejected rows and warnings as the
    warehouse's tables, straight from the load session."""
    con.execute("set variable load_id = $load_id", {"load_id": meta["load_id"]})
    con.execute("set variable is_sample = $is_sample", {"is_sample": is_sample})
    con.execute(sql("publish"))
    # the queries of our own .sql files, wrapped
    con.execute("create table rejected_rows as select getvariable('load_id') as load_id, file, row::bigint as row, "
                "\"column\", value, reason from (" + sql("rejects") + ")")
    con.execute("create table load_warnings as select getvariable('load_id') as load_id, file, \"column\", value, "
                "reason, rows::bigint as rows, first_row::bigint as first_row from (" + sql("warnings") + ")")

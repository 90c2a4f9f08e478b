"""`python -m etl refresh | validate | status | sample | fetch` — the write side's command line.

Exit codes: 0 done (published), 1 nothing published / problems found (reason printed),
2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from etl import paths, refresh, warehouse

# a fixed width when piped, so tables stay readable in logs
console = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True, width=None if sys.stderr.isatty() else 160)
MAX_REJECTS_SHOWN = 50


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        err.print("interrupted; the live warehouse was not changed")
        return 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="Caspian Trade Monitor ETL")
    sub = p.add_subparsers(dest="command")

    r = sub.add_parser("refresh", help="build the warehouse from raw customs files and swap it in")
    r.add_argument("--raw", type=Path, default=None, help=f"folder of raw files (default {paths.RAW})")
    r.add_argument("--db", type=Path, default=paths.WAREHOUSE, help="live warehouse path")
    r.add_argument("--sample", action="store_true", help="load the shipped synthetic sample instead")
    r.add_argument("--max-reject-pct", type=_pct, default=refresh.DEFAULT_MAX_REJECT_PCT,
                   help="refuse a file whose rejected rows exceed this percentage (default 5)")
    r.set_defaults(run=cmd_refresh)

    v = sub.add_parser("validate", help="parse files and report problems; writes nothing")
    v.add_argument("files", nargs="+", type=Path)
    v.add_argument("--max-reject-pct", type=_pct, default=refresh.DEFAULT_MAX_REJECT_PCT)
    v.set_defaults(run=cmd_validate)

    s = sub.add_parser("status", help="what the live warehouse holds")
    s.add_argument("--db", type=Path, default=paths.WAREHOUSE)
    s.set_defaults(run=cmd_status)

    from etl.sample.worlds import WORLDS

    g = sub.add_parser("sample", help="regenerate the synthetic sample deterministically",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=_worlds_help(WORLDS))
    g.add_argument("--out", type=Path, default=paths.SAMPLE_RAW, help=f"raw folder to write (default {paths.SAMPLE_RAW}"
                   "); the hidden truth goes to its sibling truth/")
    g.add_argument("--scale", type=_positive_int, default=1, help="about N tariff lines per record (default 1)")
    g.add_argument("--seed", type=int, default=None, help="random seed (default: the shipped sample's)")
    g.add_argument("--world", choices=list(WORLDS), default="sample", metavar="NAME",
                   help="which generated world to write (default sample; see the list below)")
    g.add_argument("--regions", choices=["focus", "all"], default="focus",
                   help="all: add a year of every Russian region and Iranian province (about 10 M rows "
                        "times --scale, 1.2 GB) to measure the refresh at the size of reality (default focus)")
    g.set_defaults(run=cmd_sample)

    from etl import fetch

    fetch.add_parser(sub)
    return p


def _worlds_help(worlds: dict[str, str]) -> str:
    lines = ["worlds (--world NAME):"]
    for name, text in worlds.items():
        lines += textwrap.wrap(text, width=78, initial_indent=f"  {name:<14}", subsequent_indent=" " * 16)
    return "\n".join(lines)


def _pct(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a percentage between 0 and 100, got {text!r}") from None
    if not 0 <= v <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage between 0 and 100, got {text!r}")
    return v


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}")
    return int(text)


def cmd_refresh(args) -> int:
    if args.sample and args.raw:
        err.print("use either --sample or --raw, not both")
        return 2
    raw = paths.SAMPLE_RAW if args.sample else (args.raw or paths.RAW)
    if raw == paths.RAW:
        raw.mkdir(parents=True, exist_ok=True)  # the drop folder is not in git; make it on first use
    if not raw.is_dir():
        err.print(f"the raw folder {escape(str(raw))} does not exist")
        return 2
    t0 = time.perf_counter()
    with ProgressDisplay(console) as progress:
        try:
            result = refresh.refresh(raw, args.db, is_sample=args.sample, max_reject_pct=args.max_reject_pct,
                                     progress=progress)
        except warehouse.CheckError as e:
            err.print(f"[red]nothing published[/red]: the data failed a warehouse check — {escape(str(e))}")
            err.print(f"The live warehouse {escape(str(args.db))} is unchanged.")
            return 1
        except (OSError, duckdb.Error) as e:
            err.print(f"[red]nothing published[/red]: {escape(_write_problem(e))} while building the new warehouse "
                      f"next to {escape(str(args.db))}. The live warehouse is unchanged.")
            return 1
    print_summary(result)
    if not result.published:
        bad = [r for r in result.files if r.status != "loaded"]
        # the files' own messages are in the summary above; say them once
        reason = (f"nothing published: {len(bad)} of {len(result.files)} file(s) refused or unreadable (see above)"
                  if bad else result.reason)
        err.print(f"[red]{escape(reason)}[/red]")
        err.print(f"The live warehouse {escape(str(args.db))} is unchanged.")
        return 1
    console.print(f"[green]{escape(result.reason)}[/green] in {time.perf_counter() - t0:.1f} s")
    return 0


def _write_problem(e: BaseException) -> str:
    """Say a full disk plainly (DuckDB reports it as an I/O or transaction error)."""
    text = getattr(e, "strerror", None) or str(e)
    if "No space left" in text or "disk is full" in text.lower() or getattr(e, "errno", None) == 28:
        return "the disk is full (free some space or use --db on another disk)"
    return f"an error writing the file ({text.splitlines()[0][:200]})"


def cmd_validate(args) -> int:
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        err.print("not a file: " + ", ".join(map(str, missing)), markup=False)
        return 2
    from etl.reference import Reference

    with ProgressDisplay(console) as progress:
        result, _ = refresh.validate([(f, str(f)) for f in args.files], Reference.load(),
                                     max_reject_pct=args.max_reject_pct, progress=progress, keep_rows=False)
    print_summary(result)
    ok = all(r.status == "loaded" for r in result.files) and not result.rejects
    if ok:
        console.print("[green]all rows valid[/green]" + (f" ({len(result.warnings):,} warning(s) above: those rows "
                                                         "load)" if result.warnings else ""))
    else:
        console.print("[red]problems found[/red]")
    return 0 if ok else 1


class ProgressDisplay(refresh.Progress):
    """Files read, rows, and the stage with the progress of its running query (DuckDB's own estimate),
    drawn by rich while a refresh runs; nothing is left on the screen after it."""

    def __init__(self, out: Console):
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.completed:,.0f}/{task.total:,.0f} files"),
                            TextColumn("{task.fields[rows]:,} rows"), TextColumn("{task.fields[query]}"),
                            TimeElapsedColumn(), console=out, transient=True)
        self.task = self.bar.add_task("starting", total=0, rows=0, query="")
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stop = threading.Event()
        self._poller = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> ProgressDisplay:
        self.bar.start()
        self._poller.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._poller.join()
        self.bar.stop()

    def file(self, name: str, index: int, total: int) -> None:
        self.bar.update(self.task, description=f"reading {escape(name)}", completed=index, total=total)

    def rows(self, rows: int) -> None:
        self.bar.update(self.task, rows=rows)

    def stage(self, text: str, con: duckdb.DuckDBPyConnection | None = None) -> None:
        task = self.bar.tasks[self.task]
        self.bar.update(self.task, description=escape(text), completed=task.total or task.completed)
        self.watch(con)

    def watch(self, con: duckdb.DuckDBPyConnection | None) -> None:
        if con is not None:
            con.execute("set enable_progress_bar = true")
            con.execute("set enable_progress_bar_print = false")
        self._con = con

    def _poll(self) -> None:
        while not self._stop.wait(0.25):
            try:
                done = self._con.query_progress() if self._con is not None else -1
            except duckdb.Error:  # the connection was closed under us: the stage ended
                done = -1
            self.bar.update(self.task, query=f"query {done:.0f} %" if done >= 0 else "")


def print_summary(result: refresh.RefreshResult) -> None:
    """Files, then rejected rows (not loaded), then warnings (loaded, with something unknown), then
    the files that were refused or could not be read."""
    t = Table(title="files")
    numeric = ("rows", "accepted", "rejected", "warned", "USD accepted")
    for c in ("file", "format", "encoding", *numeric, "status"):
        t.add_column(c, justify="right" if c in numeric else "left", overflow="fold")
    for r in result.files:
        style = {"loaded": "green", "refused": "red", "unreadable": "red"}[r.status]
        t.add_row(escape(r.file), r.source or "?", escape(r.encoding) or "?", f"{r.rows_total:,}",
                  f"{r.rows_accepted:,}", f"{r.rows_rejected:,}", f"{r.rows_warned:,}", f"{r.value_usd:,.2f}",
                  f"[{style}]{r.status}[/{style}]")
    console.print(t)
    unreadable = {r.file for r in result.files if r.status == "unreadable"}  # their one message comes last
    row_rejects = [r for r in result.rejects[:MAX_REJECTS_SHOWN] if r.row is not None and r.file not in unreadable]
    if row_rejects:
        console.print(f"{result.rows_rejected:,} rejected row(s), not loaded:")
        for r in row_rejects:
            console.print("  " + r.message(), markup=False)
        if result.rows_rejected > len(row_rejects):
            console.print(f"  … and {result.rows_rejected - len(row_rejects):,} more (all are in the warehouse's "
                          "rejected_rows table and on the Data page once published)")
    if result.warnings:
        rows = sum(w.rows for w in result.warnings)
        console.print(f"{len(result.warnings):,} warning(s) on {rows:,} row(s) that load with something unknown "
                      "(their values are kept):")
        for w in result.warnings[:MAX_REJECTS_SHOWN]:
            console.print("  " + w.message(), markup=False)
        if len(result.warnings) > MAX_REJECTS_SHOWN:
            console.print(f"  … and {len(result.warnings) - MAX_REJECTS_SHOWN:,} more (all are in the warehouse's "
                          "load_warnings table and on the Data page once published)")
    for r in result.files:
        if r.status != "loaded":
            console.print("  " + r.message, markup=False)


def cmd_status(args) -> int:
    if not args.db.exists():
        err.print(f"no warehouse at {args.db}; build one with `python -m etl refresh` "
                  "(or `--sample` for the demonstration data)")
        return 1
    import duckdb

    con = duckdb.connect(str(args.db), read_only=True)
    try:
        meta = dict(con.execute("select key, value from meta").fetchall())
        by_source = con.execute(
            "select source, count(*), min(period_start), max(period_end), count(distinct file) "
            "from core.flows group by source order by source").fetchall()
        last = con.execute("select max(loaded_at), count(*), sum(rows_rejected) from load_history").fetchone()
        warned = con.execute("select coalesce(sum(rows), 0) from load_warnings").fetchone()[0] \
            if con.execute("select count(*) from information_schema.tables where table_name = 'load_warnings'"
                           ).fetchone()[0] else 0
    finally:
        con.close()
    console.print(f"warehouse {args.db}")
    console.print(f"version {meta.get('version')}, built {meta.get('built_at')}")
    if meta.get("is_sample") == "True":
        console.print("[yellow]SYNTHETIC SAMPLE DATA — for demonstration only[/yellow]")
    t = Table(title="sources")
    for c in ("source", "rows", "from", "to", "files"):
        t.add_column(c)
    for s, n, a, b, f in by_source:
        t.add_row(s, f"{n:,}", str(a), str(b), str(f))
    console.print(t)
    console.print(f"last load {last[0]}: {last[1]} file(s), {int(last[2] or 0):,} row(s) rejected, "
                  f"{int(warned):,} row(s) loaded with a warning")
    return 0


def cmd_sample(args) -> int:
    from etl import sample

    kwargs = {"scale": args.scale, "world": args.world, "regions": args.regions}
    if args.seed is not None:
        kwargs["seed"] = args.seed
    truth = paths.SAMPLE_TRUTH if args.out.resolve() == paths.SAMPLE_RAW.resolve() else args.out.parent / "truth"
    files = sample.generate(args.out, truth_dir=truth, **kwargs)
    console.print(f"wrote {len(files)} synthetic file(s) of world {escape(args.world)} to {escape(str(args.out))} "
                  f"(truth in {escape(str(truth))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

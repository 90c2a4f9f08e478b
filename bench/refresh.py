"""Refresh throughput: the sample, `sample --scale N` and `sample --regions all`, against a bare DuckDB
read of the same files.

    python -m bench.refresh [--scales 1,100,all]

`all` is `sample --regions all` (an all-regions FCS year, about 10 M rows, and every other Iranian
province's files). For each sample: generate the synthetic raw files (not timed), run `python -m etl refresh` in a
child process (wall time, peak RSS from wait4), then materialise the same CSV files with DuckDB's
`read_csv(all_varchar=true)` in this process — the floor any loader pays to get the cells. DuckDB
cannot read cp1251/cp1256 or XLSX offline, so those CSVs are transcoded to UTF-8 before the bare
read's clock starts. An XLSX file's floor is calamine parsing its first sheet into Python rows (what
any reader of it pays; DuckDB has no offline XLSX reader). Prints one line per scale with both
floors and the ratio to their sum, measured in this run; results are copied into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import codecs
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent


def run_refresh(raw: Path, db: Path) -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "etl", "refresh", "--raw", str(raw), "--db", str(db)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"refresh failed: {proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024  # MiB


def is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def utf8_copies(raw: Path, tmp: Path) -> list[str]:
    """The CSV files as DuckDB can read them: UTF-8 as they are, the others transcoded (streamed)."""
    files = []
    for p in sorted(raw.rglob("*.csv")):
        if is_utf8(p):
            files.append(str(p))
            continue
        enc = "cp1251" if "russia" in p.parts[-2] else "cp1256"
        out = tmp / f"{len(files)}_{p.name}"
        with open(p, encoding=enc, newline="") as src, open(out, "w", encoding="utf-8", newline="") as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
        files.append(str(out))
    return files


def bare_read(files: list[str]) -> tuple[float, int]:
    con = duckdb.connect()
    t0 = time.perf_counter()
    rows = 0
    for i, f in enumerate(files):
        con.execute(f"create table t{i} as select * from read_csv($f, all_varchar = true, header = true)", {"f": f})
        rows += con.execute(f"select count(*) from t{i}").fetchone()[0]
    return time.perf_counter() - t0, rows


def bare_xlsx(raw: Path) -> tuple[float, int]:
    """Seconds to parse every XLSX file's first sheet into Python rows, and how many rows."""
    from python_calamine import CalamineWorkbook

    t0 = time.perf_counter()
    rows = sum(len(CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python())
               for p in sorted(raw.rglob("*.xlsx")))
    return time.perf_counter() - t0, rows


def rows_loaded(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from core.flows").fetchone()[0]
    finally:
        con.close()


def sample_args(scale: str) -> list[str]:
    """`etl sample` options for a scale: a number, or `all` (every region's year at scale 1)."""
    return ["--scale", "1", "--regions", "all"] if scale == "all" else ["--scale", str(int(scale))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,100", help="comma-separated: numbers, or `all` (--regions all)")
    args = ap.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.1f} (2 cores, shared)")
    print(f"{'scale':>5} {'MB':>6} {'rows':>10} {'refresh s':>9} {'rows/s':>9} {'peak MiB':>8} "
          f"{'bare CSV s':>10} {'bare XLSX s':>11} {'ratio':>6}")
    for scale in args.scales.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            raw = tmp / "raw"
            subprocess.run([sys.executable, "-m", "etl", "sample", "--out", str(raw), *sample_args(scale)],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            mb = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / 2**20
            seconds, peak = run_refresh(raw, tmp / "trade.duckdb")
            rows = rows_loaded(tmp / "trade.duckdb")
            (tmp / "utf8").mkdir()
            files = utf8_copies(raw, tmp / "utf8")
            bare, _ = bare_read(files)
            bare_x, xlsx_rows = bare_xlsx(raw)
            print(f"{scale:>5} {mb:>6.0f} {rows:>10,} {seconds:>9.1f} {rows / seconds:>9,.0f} {peak:>8.0f} "
                  f"{bare:>10.2f} {bare_x:>11.2f} {seconds / (bare + bare_x):>6.1f}  "
                  f"({xlsx_rows:,} XLSX rows; CSV floor alone: ratio {seconds / bare:.1f}); "
                  f"load average {os.getloadavg()[0]:.1f}",
                  flush=True)


if __name__ == "__main__":
    main()

"""Refresh throughput: the sample and `sample --scale N`, against a bare DuckDB read of the same files.

    python -m bench.refresh [--scales 1,100]

For each scale: generate the synthetic raw files (not timed), run `python -m etl refresh` in a
child process (wall time, peak RSS from wait4), then materialise the same CSV files with DuckDB's
`read_csv(all_varchar=true)` in this process — the floor any loader pays to get the cells. DuckDB
cannot read cp1251/cp1256 or XLSX offline, so those CSVs are transcoded to UTF-8 before the bare
read's clock starts, and XLSX files are left out of it (their rows are reported). Prints one line
per scale with the ratio measured in this run; results are copied into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
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


def utf8_copies(raw: Path, tmp: Path) -> tuple[list[str], int]:
    files, xlsx = [], 0
    for p in sorted(raw.rglob("*.csv")):
        data = p.read_bytes()
        try:
            data.decode("utf-8")
            files.append(str(p))
        except UnicodeDecodeError:
            enc = "cp1251" if "russia" in p.parts[-2] else "cp1256"
            out = tmp / f"{len(files)}_{p.name}"
            out.write_text(data.decode(enc), encoding="utf-8")
            files.append(str(out))
    xlsx = len(list(raw.rglob("*.xlsx")))
    return files, xlsx


def bare_read(files: list[str]) -> tuple[float, int]:
    con = duckdb.connect()
    t0 = time.perf_counter()
    rows = 0
    for i, f in enumerate(files):
        con.execute(f"create table t{i} as select * from read_csv($f, all_varchar = true, header = true)", {"f": f})
        rows += con.execute(f"select count(*) from t{i}").fetchone()[0]
    return time.perf_counter() - t0, rows


def rows_loaded(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from core.flows").fetchone()[0]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,100")
    args = ap.parse_args(argv)
    print(f"{'scale':>5} {'MB':>6} {'rows':>10} {'refresh s':>9} {'rows/s':>9} {'peak MiB':>8} "
          f"{'bare s':>7} {'ratio':>6} xlsx-files")
    for scale in [int(s) for s in args.scales.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            raw = tmp / "raw"
            subprocess.run([sys.executable, "-m", "etl", "sample", "--out", str(raw), "--scale", str(scale)],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            mb = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / 2**20
            seconds, peak = run_refresh(raw, tmp / "trade.duckdb")
            rows = rows_loaded(tmp / "trade.duckdb")
            (tmp / "utf8").mkdir()
            files, xlsx = utf8_copies(raw, tmp / "utf8")
            bare, _ = bare_read(files)
            print(f"{scale:>5} {mb:>6.0f} {rows:>10,} {seconds:>9.1f} {rows / seconds:>9,.0f} {peak:>8.0f} "
                  f"{bare:>7.2f} {seconds / bare:>6.1f} {xlsx}", flush=True)


if __name__ == "__main__":
    main()

"""Page-query latency: every query function in analysis.queries, at the sample, `sample --scale N` and
`sample --regions all`.

    python -m bench.queries [--scales 1,100,all] [--repeat 30]

For each scale: build a warehouse in a temporary folder — scale 1 with `python -m etl refresh
--sample`, scale N by generating `sample --scale N` raw files (not timed) and `refresh --raw` — in a
child process (wall time, peak RSS from wait4). Then, in this one process, open it as the app does
(`Warehouse(identity(path))`, filters from `Filters.from_query(dict, Allowed.from_warehouse(wh))`)
and call each public query function of analysis.queries once as a warm-up and `--repeat` times
timed with time.perf_counter, for three filter sets: the defaults; lang=fa (Jalali calendar); and
provinces=IR-02, measure=kg, hs=6 over the last two complete Gregorian years with data. Every query
function takes `(warehouse, filters)` and is timed under each set (those that read no filter, such
as places or the load history, give the same time three times).

Prints, per scale, a markdown table of p50 / p95 in ms per function and filter set, the worst p95
and its ratio to the target (p95 under 100 ms at scale 1, under 300 ms at larger scales), all
measured in this run; results are copied into bench/RESULTS.md. `all` (in --scales) is
`sample --regions all`: an all-regions FCS year, about 10 M rows.
"""

from __future__ import annotations

import argparse
import inspect
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from analysis import queries
from analysis.db import Warehouse, identity
from analysis.filters import Allowed, Filters
from bench.refresh import sample_args

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = {"1": 100.0}  # p95 targets by scale; any other scale: DEFAULT_TARGET_MS
DEFAULT_TARGET_MS = 300.0


def target_ms(scale: str) -> float:
    return TARGET_MS.get(scale, DEFAULT_TARGET_MS)


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of `python -m etl <args>` in a child process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "etl", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"etl {args[0]} failed: {proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def build(scale: str, tmp: Path) -> tuple[Path, float, float]:
    db = tmp / "trade.duckdb"
    if scale == "1":
        seconds, peak = run(["refresh", "--sample", "--db", str(db)])
    else:
        subprocess.run([sys.executable, "-m", "etl", "sample", "--out", str(tmp / "raw"), *sample_args(scale)],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        seconds, peak = run(["refresh", "--raw", str(tmp / "raw"), "--db", str(db)])
    return db, seconds, peak


def row_counts(db: Path) -> tuple[int, int]:
    """Rows in core.flows and in marts.grid (what most page queries read)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("core.flows", "marts.grid"))
    finally:
        con.close()


def filter_sets(allowed: Allowed) -> dict[str, dict[str, str]]:
    last_year = allowed.last_day.year if allowed.last_day else 2025
    return {
        "defaults": {},
        "fa (Jalali)": {"lang": "fa"},
        "IR-02 kg hs6 2y": {"provinces": "IR-02", "measure": "kg", "hs": "6",
                            "from": f"{last_year - 2}-01", "to": f"{last_year - 1}-12"},
    }


def cases() -> list[tuple[str, Callable]]:
    """(name, function) for every public function of analysis.queries, in the order they are defined."""
    members = sorted(inspect.getmembers(queries, inspect.isfunction), key=lambda m: m[1].__code__.co_firstlineno)
    return [(name, fn) for name, fn in members if not name.startswith("_") and fn.__module__ == queries.__name__]


def timed(call: Callable[[], object], repeat: int) -> tuple[float, float]:
    call()  # warm-up
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        call()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, max(0, round(0.95 * len(samples)) - 1))]  # nearest rank
    return statistics.median(samples), p95


Results = dict[str, dict[str, tuple[float, float]]]


def bench_scale(db: Path, repeat: int) -> tuple[Results, dict[str, Filters], tuple[float, float]]:
    """Per function and filter set (p50, p95) in ms; the filter sets; Allowed.from_warehouse's
    (p50, p95) — once per warehouse version in the app (cached), so reported beside the table."""
    wh = Warehouse(identity(db))
    try:
        allowed_ms = timed(lambda: Allowed.from_warehouse(wh), repeat)
        allowed = Allowed.from_warehouse(wh)
        sets = {}
        for label, q in filter_sets(allowed).items():
            f, problems = Filters.from_query(q, allowed)
            if problems:
                raise SystemExit(f"filter set {label!r}: {[p.message for p in problems]}")
            sets[label] = f
        results: Results = {}
        for name, fn in cases():
            results[name] = {label: timed(lambda fn=fn, f=f: fn(wh, f), repeat) for label, f in sets.items()}
        return results, sets, allowed_ms
    finally:
        wh.close()


def table(scale: str, results: Results, labels: list[str]) -> str:
    target = target_ms(scale)
    lines = [f"| function | {' | '.join(f'{lab} p50 / p95' for lab in labels)} | worst p95 / {target:.0f} ms |",
             "|---" + "|---:" * (len(labels) + 1) + "|"]
    for name, per in results.items():
        cells = [f"{per[lab][0]:.1f} / {per[lab][1]:.1f}" if lab in per else "— (no filters)" for lab in labels]
        worst = max(p95 for _, p95 in per.values())
        lines.append(f"| {name} | {' | '.join(cells)} | {worst / target:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,100", help="comma-separated: numbers, or `all` (--regions all)")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args(argv)
    summary = []
    for scale in args.scales.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            db, seconds, peak = build(scale, Path(tmp))
            load_before = os.getloadavg()[0]  # other work on the machine shows up in the percentiles
            rows, grid = row_counts(db)
            results, sets, allowed_ms = bench_scale(db, args.repeat)
        labels = list(sets)
        target = target_ms(scale)
        worst_name, worst = max(((n, max(p95 for _, p95 in per.values())) for n, per in results.items()),
                                key=lambda t: t[1])
        misses = [n for n, per in results.items() if max(p95 for _, p95 in per.values()) >= target]
        print(f"\n### scale {scale}: {rows:,} rows in core.flows, {grid:,} in marts.grid; refresh {seconds:.1f} s, "
              f"peak RSS {peak:.0f} MiB; {args.repeat} timed runs after 1 warm-up; ms; "
              f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after\n")
        for label, f in sets.items():
            print(f"- {label}: {f.calendar} {f.month_from}..{f.month_to}, provinces {','.join(f.provinces)}, "
                  f"{f.measure}, hs{f.hs}")
        print()
        print(table(scale, results, labels))
        verdict = "met" if not misses else f"NOT met by {', '.join(misses)}"
        print(f"\nAllowed.from_warehouse (scans core.flows; cached per version in the app): "
              f"p50 {allowed_ms[0]:.1f} / p95 {allowed_ms[1]:.1f} ms")
        print(f"worst p95 {worst:.1f} ms ({worst_name}); target p95 < {target:.0f} ms: {verdict} "
              f"(ratio {worst / target:.2f})", flush=True)
        summary.append(f"| {scale} | {rows:,} | {seconds:.1f} | {peak:.0f} | {worst:.1f} ({worst_name}) "
                       f"| {target:.0f} | {worst / target:.2f} | {'yes' if not misses else 'no'} |")
    print("\n| scale | rows | refresh s | peak RSS MiB | worst p95 ms | target ms | ratio | met |")
    print("|---:|---:|---:|---:|---|---:|---:|---|")
    print("\n".join(summary))


if __name__ == "__main__":
    main()

"""Export speed: images through one shared browser, every format per chart, and the whole chart pack.

    python -m bench.export [--langs en,fa] [--rounds 2]

Builds the shipped sample into a temporary warehouse (`python -m etl refresh --sample`, not timed).
Then, in this one process (time.perf_counter):

* the first image — a stamped PNG of the first standard chart; this starts kaleido's browser;
* every later image — each standard chart as a stamped 1400×800 PNG and as SVG, `--rounds` times:
  p50 and max per format;
* per format, the time of each chart's export (render of an already built figure) and the build of
  the figures themselves (queries + figure code), summed over the standard charts.

And, per language in `--langs`, the whole pack with every format, as a user runs it:
`python -m analysis export --out TMP --lang L --db TMP` in a child process (wall time, including
imports, the queries and the browser start), with the number and size of the files written.
The target is the pack under 30 s at sample scale. Results are copied into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import charts, export, pack
from analysis.db import Warehouse, identity
from analysis.filters import Allowed, Filters
from analysis.names import Names

ROOT = Path(__file__).resolve().parent.parent
TARGET_PACK_S = 30.0


def build_sample(tmp: Path) -> Path:
    db = tmp / "trade.duckdb"
    subprocess.run([sys.executable, "-m", "etl", "refresh", "--sample", "--db", str(db)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return db


def bench_in_process(db: Path, lang: str, rounds: int) -> dict:
    wh = Warehouse(identity(db))
    names = Names.from_warehouse(wh)
    f = Filters.parse_strict({"lang": lang}, Allowed.from_warehouse(wh))
    fetch = pack.fetcher(wh, f)
    t0 = time.perf_counter()
    figs = [(chart, chart.figure(fetch, f, names)) for chart in charts.CHARTS]
    build_s = time.perf_counter() - t0
    stamps = {chart.key: export.stamp_for(chart, fetch, f, names, wh.meta) for chart, _ in figs}

    first_chart, first_fig = figs[0]
    t0 = time.perf_counter()
    export.to_bytes(first_fig, stamps[first_chart.key], "png")
    first_s = time.perf_counter() - t0

    later: dict[str, list[float]] = {"png": [], "svg": []}
    for _ in range(rounds):
        for chart, fig in figs:
            for fmt in later:
                t0 = time.perf_counter()
                export.to_bytes(fig, stamps[chart.key], fmt)
                later[fmt].append(time.perf_counter() - t0)
    slowest = {fmt: max(zip(times, [c.key for c, _ in figs] * rounds, strict=True)) for fmt, times in later.items()}

    per_format: dict[str, float] = {}
    for fmt in export.FORMATS:
        t0 = time.perf_counter()
        for chart, fig in figs:
            export.to_bytes(fig, stamps[chart.key], fmt)
        per_format[fmt] = time.perf_counter() - t0
    wh.close()
    return {"build_s": build_s, "first_s": first_s, "later": later, "slowest": slowest, "per_format": per_format}


def bench_pack(db: Path, lang: str, out: Path) -> dict:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "analysis", "export", "--out", str(out), "--lang", lang,
                           "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"export --lang {lang} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    files = [p for p in out.iterdir() if p.is_file()]
    sizes = {}
    for p in files:
        sizes[p.suffix] = sizes.get(p.suffix, 0) + p.stat().st_size
    return {"seconds": seconds, "files": len(files), "mb": sum(sizes.values()) / 2**20,
            "sizes_mb": {k: v / 2**20 for k, v in sorted(sizes.items())}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__.split("\n\n")[0])
    p.add_argument("--langs", default="en,fa", help="languages of the whole-pack runs (default en,fa)")
    p.add_argument("--rounds", type=int, default=2, help="times every chart is drawn as PNG and SVG (default 2)")
    args = p.parse_args(argv)
    langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    if export.render.find_browser() is None:
        raise SystemExit(export.BrowserMissing.message("en"))
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        db = build_sample(Path(tmp))
        r = bench_in_process(db, langs[0], args.rounds)
        n = len(charts.CHARTS)
        browser = export.render.find_browser()
        print(f"## In one process ({langs[0]}, {n} standard charts, 1400×800, browser {browser})\n")
        print(f"- figures built (queries + figure code, all charts): {r['build_s']:.2f} s")
        print(f"- first image (starts the browser): {r['first_s']:.2f} s")
        print("\n| format | images after the first | p50 s | max s (chart) |\n|---|---:|---:|---|")
        for fmt, times in r["later"].items():
            top, key = r["slowest"][fmt]
            print(f"| {fmt.upper()} | {len(times)} | {statistics.median(times):.3f} | {top:.3f} ({key}) |")
        print("\n| format | all charts, s (render only) |\n|---|---:|")
        for fmt, seconds in r["per_format"].items():
            print(f"| {fmt.upper()} | {seconds:.2f} |")
        print("\n## Whole pack, every format (`python -m analysis export`, child process)\n")
        print(f"| lang | wall s | files | MB | MB by type | target {TARGET_PACK_S:.0f} s |")
        print("|---|---:|---:|---:|---|---|")
        for lang in langs:
            res = bench_pack(db, lang, Path(tmp) / f"pack-{lang}")
            by_type = ", ".join(f"{k} {v:.1f}" for k, v in res["sizes_mb"].items())
            met = "met" if res["seconds"] < TARGET_PACK_S else "NOT met"
            print(f"| {lang} | {res['seconds']:.1f} | {res['files']} | {res['mb']:.0f} | {by_type} | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

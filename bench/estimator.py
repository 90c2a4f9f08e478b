"""The province <-> Volgograd estimator against generated worlds' hidden truth, and against A·B/T.

    python -m bench.estimator [--worlds strong,none,drifting,route_shift] [--seeds 11,12,13]
    python -m bench.estimator --held-out          # the held-out seeds, run once at the end
    python -m bench.estimator --seeds 7004,7005,7006   # fresh held-out seeds (2026-12-02), also run once
    python -m bench.estimator --seeds 7007,7008,7009   # fresh held-out seeds for the monthly national figures, run once

For each world and seed: `etl.sample.generate(raw, seed=…, truth_dir=…, world=…)` writes the raw files
as every source would have recorded them (FCS regional files stop at 2022-01, Volgograd's published
yearly totals, a few trade-house figures, Comtrade as in reality) and the hidden truth; the real
refresh builds a warehouse in a temporary folder; then each province × direction × year is scored,
separately for 2019–2021 (both sides reported) and 2022 → (Volgograd's side missing):
- median |ln(estimate / truth)|;
- how often the 80 % interval (marts.bilateral_sums) covers the truth, and its median width / truth;
- how often the logical bounds contain the truth (they must, always);
- the same for the baseline, A·B/T with ψ = 1 and no nowcast, computed here from the warehouse's A, B
  and T columns (months where Volgograd's side was reported; none after 2022-01) with the logical
  bounds as its range — what the product showed before.
Units whose truth is 0 are counted, not scored. Prints markdown tables (per world, and per world and
seed) with the ratio of the estimator's error to the baseline's; bench/RESULTS.md keeps them.
"""

from __future__ import annotations

import argparse
import inspect
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import refresh, sample
from etl.reference import Reference

WORLDS = ("strong", "none", "drifting", "route_shift", "sample")
DEV_SEEDS = (11, 12, 13)
HELD_OUT_SEEDS = (7001, 7002, 7003)
PERIODS = {"both sides (2019–2021)": (2019, 2021), "Volgograd missing (2022 →)": (2022, 2100)}

UNITS = """
with truth as (
    select province, flow, year(strptime(month, '%Y-%m')) as year, sum(value_usd) as truth
    from read_csv($truth, types = {'hs6': 'varchar', 'month': 'varchar'})
    group by all
),

cells as (
    select province, flow, year,
           -- A·B/T has a number only where Volgograd's side was reported in every month of the unit
           case when count(*) filter (where a_usd > 0 and b_source <> 'reported') = 0
                then sum(a_usd * b_usd / nullif(t_usd, 0)) filter (where b_source = 'reported') end as base,
           sum(greatest(0, a_usd + b_usd - t_usd)) filter (where b_source = 'reported') as base_lower,
           sum(case when b_source = 'reported' then least(a_usd, b_usd) else a_usd end) as base_upper,
           count(*) filter (where a_usd > 0) as cells_with_a,
           count(*) filter (where a_usd > 0 and estimate_usd is not null) as cells_estimated
    from marts.bilateral
    where calendar = 'gregorian'
    group by all
),

sums as (
    select * from marts.bilateral_sums('gregorian', date '1990-01-01', date '2100-12-01', null, null, null,
                                       by_year := true, by_province := true, by_flow := true)
)

select t.province, t.flow, t.year, t.truth, s.estimate, s.p10, s.p90, s.lower, s.upper,
       c.base, c.base_lower, c.base_upper, c.cells_with_a, c.cells_estimated
from truth as t
left join sums as s using (province, flow, year)
left join cells as c using (province, flow, year)
where c.cells_with_a > 0
"""


@dataclass
class Scores:
    units: int = 0
    zero_truth: int = 0
    err: list[float] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)
    width: list[float] = field(default_factory=list)
    in_bounds: list[bool] = field(default_factory=list)
    base_err: list[float] = field(default_factory=list)
    base_covered: list[bool] = field(default_factory=list)
    base_width: list[float] = field(default_factory=list)
    cells_with_a: int = 0
    cells_estimated: int = 0
    no_estimate: int = 0
    no_base: int = 0

    def add(self, other: Scores) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


def log_error(estimate, truth) -> float | None:
    import math

    if estimate is None or truth is None or truth <= 0:
        return None
    return abs(math.log(max(estimate, 1e-9) / truth))


def score(db: Path, truth: Path) -> dict[str, Scores]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(UNITS, {"truth": str(truth)}).fetchall()
    finally:
        con.close()
    out = {name: Scores() for name in PERIODS}
    for (_province, _flow, year, truth_usd, est, p10, p90, lower, upper, base, b_lo, b_up, with_a,
         estimated) in rows:
        period = next((n for n, (y0, y1) in PERIODS.items() if y0 <= year <= y1), None)
        if period is None:
            continue
        s = out[period]
        s.units += 1
        s.cells_with_a += with_a or 0
        s.cells_estimated += estimated or 0
        tol = 1e-6 * max(truth_usd, 1.0) + 0.01
        s.in_bounds.append(lower is not None and lower - tol <= truth_usd <= upper + tol)
        if truth_usd <= 0:
            s.zero_truth += 1
            continue
        err = log_error(est, truth_usd)
        if err is None:
            s.no_estimate += 1
        else:
            s.err.append(err)
            s.covered.append(p10 - tol <= truth_usd <= p90 + tol)
            s.width.append((p90 - p10) / truth_usd)
        base_err = log_error(base, truth_usd)
        if base_err is None:
            s.no_base += 1
        else:
            s.base_err.append(base_err)
        b_lo = b_lo or 0.0
        s.base_covered.append(b_lo - tol <= truth_usd <= (b_up or 0.0) + tol)
        s.base_width.append(((b_up or 0.0) - b_lo) / truth_usd)
    return out


def generate(world: str, seed: int, raw: Path, truth: Path) -> dict:
    if "world" not in inspect.signature(sample.generate).parameters:
        raise SystemExit("etl.sample.generate has no worlds yet (the `worlds` branch has not landed on main)")
    sample.generate(raw, seed=seed, truth_dir=truth, world=world)
    info = truth / "world.json"
    return json.loads(info.read_text()) if info.exists() else {}


def run_one(world: str, seed: int, ref: Reference) -> tuple[dict[str, Scores], dict, float]:
    with tempfile.TemporaryDirectory(prefix=f"estimator-{world}-{seed}-") as tmp:
        raw, truth, db = Path(tmp) / "raw", Path(tmp) / "truth", Path(tmp) / "trade.duckdb"
        info = generate(world, seed, raw, truth)
        t0 = time.perf_counter()
        result = refresh.refresh(raw, db, ref=ref, is_sample=True)
        seconds = time.perf_counter() - t0
        if not result.published:
            raise SystemExit(f"{world} seed {seed}: refresh failed: {result.reason}")
        return score(db, truth / "bilateral_truth.csv"), info, seconds


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def share(xs: list[bool]) -> float | None:
    return sum(xs) / len(xs) if xs else None


def fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "—"
    return f"{100 * x:.0f} %" if pct else f"{x:.3f}"


def row(label: str, s: Scores) -> str:
    err, base = median(s.err), median(s.base_err)
    ratio = f"{err / base:.2f}" if err is not None and base else "—"
    estimated = s.cells_estimated / s.cells_with_a if s.cells_with_a else None
    return (f"| {label} | {s.units} | {fmt(estimated, True)} | {fmt(err)} | {fmt(share(s.covered), True)} | "
            f"{fmt(median(s.width))} | {fmt(share(s.in_bounds), True)} | {fmt(base)} | {ratio} | "
            f"{fmt(share(s.base_covered), True)} | {fmt(median(s.base_width))} |")


HEADER = ("| world · period | units | cells with an estimate | median abs ln error | 80 % interval covers | "
          "median width / truth | bounds contain | baseline A·B/T error | error ratio | baseline bounds cover | "
          "baseline bounds width / truth |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worlds", default=",".join(WORLDS))
    parser.add_argument("--seeds", default=None, help=f"comma-separated; default {DEV_SEEDS}")
    parser.add_argument("--held-out", action="store_true", help=f"use the held-out seeds {HELD_OUT_SEEDS}")
    args = parser.parse_args(argv)
    seeds = HELD_OUT_SEEDS if args.held_out else tuple(int(s) for s in (args.seeds or "").split(",") if s) or DEV_SEEDS
    worlds = [w for w in args.worlds.split(",") if w]
    ref = Reference.load()
    per_world: dict[str, dict[str, Scores]] = {}
    per_seed: list[tuple[str, int, dict[str, Scores], dict, float]] = []
    for world in worlds:
        per_world[world] = {name: Scores() for name in PERIODS}
        for seed in seeds:
            scores, info, seconds = run_one(world, seed, ref)
            per_seed.append((world, seed, scores, info, seconds))
            for name in PERIODS:
                per_world[world][name].add(scores[name])
            print(f"{world} seed {seed}: refreshed in {seconds:.1f} s", file=sys.stderr, flush=True)
    print(f"Seeds {', '.join(map(str, seeds))}{' (held out)' if args.held_out else ''}; "
          "units = province × direction × year.\n")
    print(HEADER)
    for world, scores in per_world.items():
        for name, s in scores.items():
            print(row(f"{world} · {name}", s))
    print("\nPer seed:\n")
    print(HEADER)
    for world, seed, scores, _, _ in per_seed:
        for name, s in scores.items():
            print(row(f"{world} {seed} · {name}", s))
    print("\nWorlds as generated (world.json):\n")
    for world, seed, _, info, seconds in per_seed:
        diag = {k: v for k, v in info.items() if k not in ("world", "seed")}
        print(f"- {world} {seed} (refresh {seconds:.1f} s): {json.dumps(diag, ensure_ascii=False)[:400]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Fault injection, the long version of tests/test_faults.py.

    python -m bench.faults [--kills 10] [--races 5] [--window 0.04] [--seed 2026] [--only kills|disk|races]

1. `python -m etl refresh --sample` killed with SIGKILL at a random instant between 0 and the time
   a whole refresh takes here (measured first), --kills times. After each kill: does the live
   warehouse open at its old version, and does the next refresh succeed and remove the half-built
   file? The stage reached is read from the folder (a `.building-<pid>` file exists once the
   warehouse is being written; the CLI's progress line is not printed when stderr is not a terminal).
2. One refresh of the sample into a live warehouse on a tmpfs with room for the live file plus
   2 MiB (needs root): exit code, message, live file byte-identical, leftovers.
3. A raw file (60,000 rows, ~8 MB) deleted, truncated in place or rewritten in place while the
   refresh process holds it open (seen in /proc/<pid>/fd), at a random instant up to --window s
   (default 0.04: hashing and reading the file's bytes take a few tens of ms; parsing follows from
   memory) after it first opens it, --races times each: refused, published consistent
   (load_history's sha256 is that of the rows loaded), or published INCONSISTENT.

Prints Markdown tables; results are copied into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from etl import refresh, warehouse
from tests.conftest import GOOD_FORMATS, copy_fixtures, query
from tests.test_faults import (
    MountRefused,
    cli_refresh,
    disk_full_run,
    kill_after,
    leftovers,
    live_state,
    russia_file,
    wait_until_opened,
)

TARGET = "russia_customs/volgograd_all.csv"


def fixture_warehouse(tmp: Path) -> Path:
    raw = copy_fixtures(tmp / "fixtures_raw", *GOOD_FORMATS)
    live = tmp / "fixture" / "trade.duckdb"
    result = refresh.refresh(raw, live)
    if not result.published:
        raise SystemExit(result.reason)
    return live


def sample_seconds(tmp: Path) -> float:
    t0 = time.perf_counter()
    proc = cli_refresh("--sample", "--db", str(tmp / "timing" / "trade.duckdb"), stdout=subprocess.DEVNULL)
    _, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(err)
    return time.perf_counter() - t0


def kills(tmp: Path, good: Path, n: int, seconds: float, rnd: random.Random) -> None:
    small = copy_fixtures(tmp / "small_raw", "russia_customs")
    print(f"\nRefresh of the sample killed at a random point (a whole refresh takes {seconds:.2f} s here)\n")
    print("| run | killed at s | stage reached | live after the kill | half-built left | next refresh | cleaned |")
    print("|---:|---:|---|---|---|---|---|")
    for run in range(1, n + 1):
        folder = tmp / f"kill{run}"
        folder.mkdir()
        live = folder / "trade.duckdb"
        shutil.copyfile(good, live)
        old = live_state(live)
        delay = rnd.uniform(0, seconds)
        proc = cli_refresh("--sample", "--db", str(live), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stage = kill_after(proc, delay, folder)
        try:
            now = live_state(live)
            after = ("old version, " if now == old else "NEW version, ") + f"{now[1]:,} rows"
            if stage in ("published", "finished"):
                kept = live_state(warehouse.previous_path(live)) == old
                after += f" (exit {proc.returncode}; previous = old: {kept})"
        except Exception as e:  # reported in the table, not raised
            after = f"DOES NOT OPEN: {type(e).__name__}"
        left = leftovers(folder)
        nxt = refresh.refresh(small, live)
        print(f"| {run} | {delay:.2f} | {stage} | {after} | {', '.join(n.split('.')[-1] for n in left) or 'none'} "
              f"| {'published' if nxt.published else 'FAILED: ' + nxt.reason} "
              f"| {'yes' if not leftovers(folder) else 'NO: ' + ', '.join(leftovers(folder))} |", flush=True)


def disk_full(tmp: Path, good: Path) -> None:
    print("\nDisk full while writing the new warehouse\n")
    try:
        r = disk_full_run(tmp, good)
    except MountRefused as e:
        print(f"skipped: cannot mount a tmpfs ({e}); run as root")
        return
    err = r["err"].strip()
    last = err.splitlines()[-1] if err else ""
    print("| tmpfs | exit | traceback | last line of stderr | live byte-identical | live opens | leftovers |")
    print("|---|---:|---|---|---|---|---|")
    print(f"| {r['size_kb']:,} KiB (live file + 2 MiB) | {r['code']} | {'yes' if 'Traceback' in err else 'no'} "
          f"| `{last[:160]}` | {'yes' if r['unchanged'] else 'NO'} | {r['state'][1]:,} rows "
          f"| {', '.join(r['leftovers']) or 'none'} |", flush=True)


def _truncate(path: Path) -> None:
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def _rewrite(path: Path) -> None:
    russia_file(path, 1000, value=7)  # in place: same inode, other rows


FAULTS = {"deleted": Path.unlink, "truncated in place": _truncate, "rewritten in place": _rewrite}


def classify(code: int, text: str, live: Path, before: str, original: Path, target: Path) -> str:
    if code == 1:
        named = TARGET in text or "volgograd_all.csv" in text
        same = refresh.sha256(live) == before
        reasons = ("could not be read", "CSV structure is broken", "rows (", "no data rows", "neither UTF-8")
        reason = next((r for r in reasons if r in text), "other")
        reason = "too many rows rejected" if reason == "rows (" else reason
        return (f"refused ({reason}; file named: {'yes' if named else 'NO'}; "
                f"live unchanged: {'yes' if same else 'NO'})")
    if code != 0:
        return f"exit {code}{' with traceback' if 'Traceback' in text else ''}"
    rows = query(live, "select sha256, rows_total from load_history where file = $f", {"f": TARGET})
    if not rows:
        return "published without the file"
    digest, total = rows[0]
    loaded = query(live, "select count(*) from core.flows where file = $f", {"f": TARGET})[0][0]
    for label, content in (("original", original), ("current", target)):
        if content.exists() and digest == refresh.sha256(content):
            lines = len(content.read_text(encoding="utf-8", errors="replace").splitlines()) - 1
            if loaded == lines:
                return f"published consistent ({label} content, {loaded:,} rows)"
            return f"published INCONSISTENT (sha256 of the {label} file, {loaded:,} of its {lines:,} rows loaded)"
    return f"published INCONSISTENT (sha256 of neither version; {loaded:,} rows loaded, {total:,} counted)"


def races(tmp: Path, good: Path, n: int, window: float, rnd: random.Random) -> None:
    src = tmp / "race_src"
    russia_file(src / TARGET, 60_000)
    print("\nA raw file changed while the refresh process holds it open\n")
    print("| fault | run | after first open, ms | exit | outcome |")
    print("|---|---:|---:|---:|---|")
    for fault, act in FAULTS.items():
        for run in range(1, n + 1):
            folder = tmp / f"race_{fault.split()[0]}_{run}"
            raw = folder / "raw"
            shutil.copytree(src, raw)
            original = folder / "original.csv"
            shutil.copyfile(raw / TARGET, original)
            live = folder / "wh" / "trade.duckdb"
            live.parent.mkdir()
            shutil.copyfile(good, live)
            before = refresh.sha256(live)
            delay = rnd.uniform(0, window)
            proc = cli_refresh("--raw", str(raw), "--db", str(live))
            if not wait_until_opened(proc, raw / TARGET):
                print(f"| {fault} | {run} | — | {proc.wait()} | the file was never seen open |")
                continue
            time.sleep(delay)
            act(raw / TARGET)
            out, err = proc.communicate()
            print(f"| {fault} | {run} | {delay * 1000:.0f} | {proc.returncode} "
                  f"| {classify(proc.returncode, out + err, live, before, original, raw / TARGET)} |", flush=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=10)
    ap.add_argument("--races", type=int, default=5)
    ap.add_argument("--window", type=float, default=0.04)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--only", choices=["kills", "disk", "races"], default=None)
    args = ap.parse_args(argv)
    rnd = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        good = fixture_warehouse(tmp)
        if args.only in (None, "kills"):
            kills(tmp, good, args.kills, sample_seconds(tmp), rnd)
        if args.only in (None, "disk"):
            disk_full(tmp, good)
        if args.only in (None, "races"):
            races(tmp, good, args.races, args.window, rnd)


if __name__ == "__main__":
    main()

"""Warm page visits of two versions of the code, alternated in one run: before/after ratios that other
sessions' load moves together.

    python -m bench.pages_ab --before COMMIT [--after COMMIT] [--views trends/en,overview/en] [--n 3]

Each version (`git archive` of the commit, or this working tree when --after is not given) serves
the same warehouse — the shipped sample, built by this tree's ETL — with `streamlit run dashboard.py`
on its own port. For each view: one discarded visit per server (which also starts the after-version's
warm-up; 12 s are left for it), then `n` warm visits per server, alternating which goes first, each in
a new browser context (bench.pages.visit). Prints the medians of the wall time until drawn, the
tab's main-thread busy time and the CPU seconds of the Chromium processes, and their ratios.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from io import BytesIO
from pathlib import Path

from bench.pages import CHROMIUM, ROOT, build, visit
from tests.browser import CHROMIUM_ARGS, free_port
from tests.test_browser import PAGES


def checkout(commit: str, dest: Path) -> Path:
    """The files of `commit` in `dest`, with this tree's virtual environment."""
    data = subprocess.run(["git", "archive", commit], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    (dest / ".venv").symlink_to((ROOT / ".venv").resolve())
    return dest


@contextmanager
def server(root: Path, db: Path, log: Path):
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
                                 "--server.address", "127.0.0.1", "--server.headless", "true"], cwd=root,
                                env={**os.environ, "CTM_WAREHOUSE": str(db)}, stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", default=None, help="a commit; default: this working tree")
    ap.add_argument("--views", default="trends/en,overview/en,gaps/en,data/en")
    ap.add_argument("--n", type=int, default=3)
    args = ap.parse_args(argv)
    views = [tuple(v.split("/")) for v in args.views.split(",")]
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="bench-pages-ab-") as tmp, ExitStack() as stack, \
            sync_playwright() as p:
        tmp = Path(tmp)
        db = build("1", tmp)
        roots = [checkout(args.before, tmp / "before"),
                 checkout(args.after, tmp / "after") if args.after else ROOT]
        bases = [stack.enter_context(server(r, db, tmp / f"server-{i}.log")) for i, r in enumerate(roots)]
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        print("| page | warm s before → after | ratio | main thread busy s | Chromium CPU s | ratio (CPU) |")
        print("|---|---|---:|---|---|---:|")
        for name, lang in views:
            results: list[list] = [[], []]
            for i in range(args.n + 1):
                for k in ((0, 1) if i % 2 else (1, 0)):
                    v = visit(browser, f"{bases[k]}/{name}?lang={lang}", PAGES[name])
                    if i:
                        results[k].append(v)
                if i == 0:
                    time.sleep(12)  # the after-version's warm-up, started by that first visit
            med = [[statistics.median(getattr(v, a) for v in results[k]) for a in ("seconds", "busy", "cpu")]
                   for k in (0, 1)]
            (s0, b0, c0), (s1, b1, c1) = med
            print(f"| {name} {lang} | {s0:.2f} → {s1:.2f} | {s1 / s0:.2f} | {b0:.2f} → {b1:.2f} | "
                  f"{c0:.2f} → {c1:.2f} | {c1 / c0:.2f} |", flush=True)
        browser.close()
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

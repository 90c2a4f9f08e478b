"""Page times in a real browser: server start to first chart, each page cold and warm, server memory.

    python -m bench.pages [--scales 1,100]

For each scale: build a warehouse in a temporary folder (scale 1 with `python -m etl refresh
--sample`; scale N from `python -m etl sample --scale N` raw files and `refresh --raw`; not timed).
Then, for each view (the six pages in en, overview and trends also in fa), start a fresh Streamlit
server on that warehouse (tests.browser.streamlit_server) and, in Debian's Chromium driven by
Playwright:

- start → charts: from the server process's start until the view's charts are drawn — the view is
  the first request the server gets (the health check is polled every 0.2 s before it), sent while
  the server's warm-up of its caches (pages.ui.warmup, logged; "warm-up s") may still be running;
- cold: from `page.goto` until the view's last chart is drawn, on that first visit, in a new
  browser context;
- warm: the same URL again in another new context, once the server's warm-up has finished (the
  server's caches are warm and it is idle, as a user finds it some time after the start);
- warm, HTML loaded / footer shown: when goto returned (load event) and when the footer — the last
  thing the page's script draws — appeared, within the warm visit;
- warm, main thread busy / JS / Chromium CPU: the tab's main thread busy and, of that, running
  JavaScript (CDP Performance.getMetrics TaskDuration, ScriptDuration), and the CPU seconds of every
  Chromium process and thread (/proc) during the warm visit — less sensitive to other load than
  the wall clock;
- reload: that warm page reloaded in its own tab (the browser's cache warm too — a returning user);
- peak RSS: VmHWM of the streamlit process from /proc/<pid>/status, read right before it stops.

A last server on the same warehouse serves every view twice in a row, for the peak RSS after all of
them and the server's own time of each script run (its log); its first visit waits until the
server's warm-up has finished (a user arriving after the start). "Drawn" means: the script finished
(no status widget), the footer caption with the warehouse version is on the page, and every
`.js-plotly-plot` on it holds its `.main-svg` — as many plots as tests/test_browser.py's PAGES expects. A
Streamlit exception on the page, a request leaving 127.0.0.1 (blocked by
tests.browser.guard_network) or a console error other than Streamlit's own 404 probe of
`/<page>/_stcore/{health,host-config}` (streamlit/streamlit#7074) is counted as an error. Prints a
markdown table with the ratio of each warm time to the target (3 s at scale 100), all measured in
this run; results are copied into bench/RESULTS.md.

The floor: before the dashboard, the same browser visits a bare Streamlit app of n small Plotly bar charts
and a caption like the footer (`streamlit run`, the same Streamlit and Plotly, no data, no sidebar) for
each chart count the views have, and for none — what Streamlit and Plotly cost in this browser on this
machine whatever a page holds. Each floor is the median of three warm visits in new contexts; each
view's warm time is also given as a ratio to the floor with its number of charts.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.refresh import sample_args
from tests.browser import CHROMIUM_ARGS, free_port, guard_network, streamlit_server, wait_healthy
from tests.test_browser import PAGES

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
TARGET_S = 3.0  # every page under 3 s warm at scale 100
SERVER_TARGET_S = 0.5  # every page's script run on the server (issue 11)
VIEWS = [(name, "en") for name in PAGES] + [("overview", "fa"), ("trends", "fa")]
VIEWPORT = {"width": 1400, "height": 1800}
WAIT_MS = 180_000
VERSION = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z/[0-9a-f]{8}")
# Streamlit's frontend first asks /<page>/_stcore/… in case <page> is a base path (streamlit#7074).
STREAMLIT_PROBE = re.compile(r"^https?://127\.0\.0\.1:\d+/[^/]+/_stcore/(health|host-config)$")

# The footer (drawn last by pages/ui/frame.run) is on the page, or Streamlit shows an exception.
FOOTER_JS = r"""
() => !!document.querySelector('[data-testid="stException"]') ||
  [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
    .some(c => /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z\/[0-9a-f]{8}/.test(c.innerText))
"""
# Returns 'exception' as soon as Streamlit shows one, 'drawn' when the page is complete, else false.
DRAWN_JS = r"""
n => {
  if (document.querySelector('[data-testid="stException"]')) return 'exception';
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (plots.length < n || plots.some(p => !p.querySelector('.main-svg'))) return false;
  const caps = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')];
  return caps.some(c => /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z\/[0-9a-f]{8}/.test(c.innerText)) ? 'drawn' : false;
}
"""


def build(scale: str, tmp: Path) -> Path:
    """A warehouse for `scale` in `tmp`, built by the real ETL in child processes."""
    db = tmp / "trade.duckdb"
    etl = [sys.executable, "-m", "etl"]
    if scale == "1":
        subprocess.run([*etl, "refresh", "--sample", "--db", str(db)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    else:
        subprocess.run([*etl, "sample", "--out", str(tmp / "raw"), *sample_args(scale)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([*etl, "refresh", "--raw", str(tmp / "raw"), "--db", str(db)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return db


def version_of(db: Path) -> str:
    """The warehouse's version as `python -m etl status` prints it."""
    out = subprocess.run([sys.executable, "-m", "etl", "status", "--db", str(db)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    m = VERSION.search(out)
    if not m:
        raise SystemExit(f"no version in `etl status` output:\n{out}")
    return m.group()


def peak_rss_mib(pid: int) -> float:
    """VmHWM (resident set high-water mark) of a live process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmHWM for pid {pid}")


# pages/ui/frame.run logs one line per script run: "… ctm.dashboard: page overview en: 0.123 s"
SCRIPT_RUN = re.compile(r"ctm\.dashboard: page (\w+) (\w+): ([0-9.]+) s$")
# pages/ui/warmup logs one line per warehouse version: "… warm-up of version V: 18 views in 4.33 s"
WARM_UP = re.compile(r"ctm\.dashboard: warm-up of version .+: (\d+) views in ([0-9.]+) s")


class ServerLog:
    """The server's log file (stdout and stderr, tests.browser.streamlit_server): the script runs'
    own times, and the lines that tell of a Python error."""

    def __init__(self, path: Path):
        self.path = path

    def lines(self) -> list[str]:
        return self.path.read_text(errors="replace").splitlines() if self.path.exists() else []

    def runs(self) -> list[tuple[str, str, float]]:
        """(page, lang, seconds) of every script run so far, in order."""
        return [(m[1], m[2], float(m[3])) for m in map(SCRIPT_RUN.search, self.lines()) if m]

    def warm_ups(self) -> list[tuple[int, float]]:
        """(views, seconds) of every warm-up of the caches so far (pages.ui.warmup)."""
        return [(int(m[1]), float(m[2])) for m in map(WARM_UP.search, self.lines()) if m]

    def wait_for_warm_up(self, timeout_s: float = 600) -> float:
        """Until the server's first warm-up has finished; its own time in s."""
        deadline = time.monotonic() + timeout_s
        while not self.warm_ups():
            if time.monotonic() > deadline:
                raise RuntimeError(f"no warm-up in {self.path} after {timeout_s:.0f} s")
            time.sleep(0.1)
        return self.warm_ups()[0][1]

    @property
    def problems(self) -> list[str]:
        return [line for line in self.lines() if re.search(r"Traceback|Error|Exception", line)]


def console_problem(msg_type: str, text: str, url: str) -> bool:
    return msg_type == "error" and not (text.startswith("Failed to load resource") and STREAMLIT_PROBE.match(url))


@dataclass
class Visit:
    seconds: float
    state: str  # drawn | exception | timeout
    loaded: float = 0.0  # seconds until goto/reload returned (the HTML's load event)
    script: float = 0.0  # seconds until the footer was shown (the page's script reached its end)
    plots: int = 0
    versions: tuple[str, ...] = ()
    errors: list[str] = field(default_factory=list)  # console errors and blocked requests
    busy: float = 0.0  # the tab's main thread busy, s (CDP Performance.getMetrics TaskDuration) until drawn
    script_s: float = 0.0  # of which running JavaScript (ScriptDuration)
    cpu: float = 0.0  # CPU seconds of all Chromium processes (every thread) during the visit


def visit(browser, url: str, charts: int, reload: bool = False) -> Visit | tuple[Visit, Visit]:
    """Open `url` in a new context; seconds from goto until the page is drawn. With `reload`, also
    the same page reloaded in that tab."""
    blocked: list[str] = []
    context = browser.new_context(viewport=VIEWPORT)
    guard_network(context, blocked)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    console: list[str] = []
    page.on("console", lambda m: console_problem(m.type, m.text, m.location.get("url", ""))
            and console.append(f"console {m.type}: {m.text[:300]}"))
    page.on("pageerror", lambda e: console.append(f"pageerror: {str(e)[:300]}"))
    try:
        visits = [_timed(page, cdp, lambda: page.goto(url, timeout=WAIT_MS), charts, console, blocked)]
        if reload:
            visits.append(_timed(page, cdp, lambda: page.reload(timeout=WAIT_MS), charts, console, blocked))
    finally:
        context.close()
    return tuple(visits) if reload else visits[0]


def _metrics(cdp) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}


def chromium_cpu_s() -> float:
    """CPU seconds (user + system) used so far by the Chromium processes this benchmark started (the
    descendants of this process whose command line names chromium), all threads."""
    parents: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                parents.setdefault(int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]), []).append(int(d.name))
            except (OSError, IndexError):
                pass
    total, todo = 0, list(parents.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        todo += parents.get(pid, [])
        try:
            if b"chromium" in Path(f"/proc/{pid}/cmdline").read_bytes():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


def _timed(page, cdp, navigate, charts: int, console: list[str], blocked: list[str]) -> Visit:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    console.clear()
    blocked.clear()
    before, cpu0 = _metrics(cdp), chromium_cpu_s()
    t0 = time.perf_counter()
    loaded = script = 0.0
    try:
        navigate()
        loaded = time.perf_counter() - t0
        page.wait_for_function(FOOTER_JS, timeout=WAIT_MS)
        script = time.perf_counter() - t0
        state = page.wait_for_function(DRAWN_JS, arg=charts, timeout=WAIT_MS).json_value()
        seconds = time.perf_counter() - t0
        plots = page.locator(".js-plotly-plot").count()
        versions = tuple(sorted(set(VERSION.findall(page.inner_text("body")))))
    except PlaywrightTimeout:
        seconds, state, plots, versions = time.perf_counter() - t0, "timeout", 0, ()
    cpu, after = chromium_cpu_s() - cpu0, _metrics(cdp)
    return Visit(seconds, state, loaded, script, plots, versions, console + [f"blocked {u}" for u in blocked],
                 after["TaskDuration"] - before.get("TaskDuration", 0.0),
                 after["ScriptDuration"] - before.get("ScriptDuration", 0.0), cpu)


@dataclass
class Row:
    name: str
    lang: str
    start_to_charts: float
    cold: Visit
    warm: Visit
    reload: Visit
    peak_mib: float
    server_errors: list[str]
    script_runs: list[float]  # the server's own time of each script run of this view (cold, warm, reload …)
    warm_up: float | None  # the server's warm-up of every view (pages.ui.warmup), s; None if none logged


def measure_view(browser, db: Path, name: str, lang: str) -> Row:
    """A fresh server; this view first (cold, timed from the server's start), then again (warm)."""
    t0 = time.perf_counter()
    log = ServerLog(db.parent / f"server-{name}-{lang}.log")
    with streamlit_server(db, timeout=120, log_path=log.path) as (base, proc):
        url = f"{base}/{name}?lang={lang}"
        cold = visit(browser, url, PAGES[name])
        start_to_charts = time.perf_counter() - t0
        log.wait_for_warm_up()  # a warm server, as users find it: not still warming the other views
        warm, reload = visit(browser, url, PAGES[name], reload=True)
        peak = peak_rss_mib(proc.pid)
    runs = [s for page, _, s in log.runs() if page == name]
    warm_ups = log.warm_ups()
    return Row(name, lang, start_to_charts, cold, warm, reload, peak, log.problems, runs,
               warm_ups[0][1] if warm_ups else None)


def peak_after_all_views(browser, db: Path) -> tuple[float, list[Visit], ServerLog]:
    """One server, every view twice; the first visit once the server's warm-up has finished."""
    log = ServerLog(db.parent / "server-all-views.log")
    with streamlit_server(db, timeout=120, log_path=log.path) as (base, proc):
        log.wait_for_warm_up()
        visits = [visit(browser, f"{base}/{name}?lang={lang}", PAGES[name]) for _ in range(2) for name, lang in VIEWS]
        return peak_rss_mib(proc.pid), visits, log


def server_cell(runs: list[float]) -> str:
    return f"{runs[0]:.2f} / {max(runs[1:]):.2f}" if len(runs) > 1 else (f"{runs[0]:.2f} / —" if runs else "— (no log)")


def server_table(summary) -> str:
    """The server's own time per script run on the all-views server (every view twice, in one
    server): the first run of each view, and the worst of its later runs, against SERVER_TARGET_S."""
    lines = [f"| scale | page | lang | server s, first run | server s, worst later run "
             f"| ratios to {SERVER_TARGET_S} s (first / later) |", "|---:|---|---|---:|---:|---:|"]
    for scale, *_, runs in summary:
        for name, lang in VIEWS:
            times = [s for page, lg, s in runs if page == name and lg == lang]
            if not times:
                lines.append(f"| {scale} | {name} | {lang} | — (no log line) | — | — |")
                continue
            later = max(times[1:]) if len(times) > 1 else float("nan")
            lines.append(f"| {scale} | {name} | {lang} | {times[0]:.3f} | {later:.3f} | "
                         f"{times[0] / SERVER_TARGET_S:.2f} / {later / SERVER_TARGET_S:.2f} |")
    return "\n".join(lines)


FLOOR_VERSION = "2000-01-01 00:00:00Z/00000000"  # the floor app's caption, as DRAWN_JS looks for a footer
FLOOR_APP = """import plotly.graph_objects as go
import streamlit as st

st.set_page_config(layout="wide")
for i in range({charts}):
    st.plotly_chart(go.Figure(go.Bar(x=list("abcdef"), y=[1, 3, 2, 5, 4, 6])), key=f"c{{i}}")
st.caption("{version}")
"""
FLOOR_VISITS = 3


@contextmanager
def floor_server(charts: int, folder: Path, timeout: float = 60):
    """`streamlit run` of the floor app with `charts` charts; yields its URL."""
    app = folder / f"floor_{charts}.py"
    app.write_text(FLOOR_APP.format(charts=charts, version=FLOOR_VERSION), encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"],
                            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_healthy(base, proc, timeout):
            raise RuntimeError(f"the floor app with {charts} charts did not start")
        yield f"{base}/"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def measure_floors(browser, counts: list[int]) -> tuple[dict[int, float], list[str]]:
    """The floor app's median warm time per chart count (its first visit, the server's first script run,
    not counted), and any problem seen."""
    floors, problems = {}, []
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        for n in counts:
            with floor_server(n, Path(tmp)) as url:
                visits = [visit(browser, url, n) for _ in range(FLOOR_VISITS + 1)][1:]
            for v in visits:
                problems += [f"floor {n} charts: {e}" for e in check(v, FLOOR_VERSION, n)]
            floors[n] = statistics.median(v.seconds for v in visits)
    return floors, problems


def check(v: Visit, version: str, charts: int) -> list[str]:
    """What is wrong with a visit: its errors, not drawn, another number of charts, another version."""
    out = list(v.errors)
    if v.state != "drawn":
        out.append(v.state)
    elif v.plots != charts:
        out.append(f"{v.plots} plots, expected {charts}")
    if v.state == "drawn" and v.versions != (version,):
        out.append(f"versions on page {v.versions}, expected {version}")
    return out


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,100", help="comma-separated: numbers, or `all` (--regions all)")
    args = ap.parse_args(argv)
    scales = args.scales.split(",")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    summary, warm_ups = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            floors, problems = measure_floors(browser, sorted({0} | {PAGES[name] for name, _ in VIEWS}))
            print("The floor — a bare Streamlit app of n small Plotly charts, warm, median of "
                  f"{FLOOR_VISITS} visits: " + ", ".join(f"{n} charts {s:.2f} s" for n, s in floors.items()))
            print()
            print("| scale | page | lang | charts | start → charts s | cold s | warm s | warm / 3 s | floor s "
                  "| warm / floor | warm: HTML loaded / footer shown s | warm: main thread busy / JS / Chromium CPU s "
                  "| reload s | server s: first run / worst later | warm-up s | peak RSS MiB |")
            print("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|", flush=True)
            for scale in scales:
                with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
                    db = build(scale, Path(tmp))
                    version = version_of(db)
                    rows = []
                    for name, lang in VIEWS:
                        r = measure_view(browser, db, name, lang)
                        rows.append(r)
                        for label, v in (("cold", r.cold), ("warm", r.warm), ("reload", r.reload)):
                            found = check(v, version, PAGES[name])
                            problems += [f"scale {scale} {name} {lang} {label}: {e}" for e in found]
                        problems += [f"scale {scale} {name} {lang} server: {e}" for e in r.server_errors]
                        print(f"| {scale} | {name} | {lang} | {PAGES[name]} | {r.start_to_charts:.2f} | "
                              f"{r.cold.seconds:.2f} | {r.warm.seconds:.2f} | {r.warm.seconds / TARGET_S:.2f} | "
                              f"{floors[PAGES[name]]:.2f} | {r.warm.seconds / floors[PAGES[name]]:.2f} | "
                              f"{r.warm.loaded:.2f} / {r.warm.script:.2f} | "
                              f"{r.warm.busy:.2f} / {r.warm.script_s:.2f} / {r.warm.cpu:.2f} | "
                              f"{r.reload.seconds:.2f} | "
                              f"{server_cell(r.script_runs)} | "
                              f"{'—' if r.warm_up is None else f'{r.warm_up:.2f}'} | {r.peak_mib:.0f} |", flush=True)
                    all_peak, visits, log = peak_after_all_views(browser, db)
                    warm_ups.append((scale, log.warm_ups()[0][1]))
                    for (name, lang), v in zip(VIEWS * 2, visits, strict=True):
                        found = check(v, version, PAGES[name])
                        problems += [f"scale {scale} {name} {lang} (all views): {e}" for e in found]
                    problems += [f"scale {scale} (all views) server: {e}" for e in log.problems]
                    worst = max(rows, key=lambda r: r.warm.seconds)
                    summary.append((scale, worst, all_peak, max(r.peak_mib for r in rows),
                                    [v.seconds for v in visits[len(VIEWS):]], log.runs()))
        finally:
            browser.close()
    print()
    print("| scale | worst warm s (page) | ratio to 3 s | met | its floor s | worst warm / floor "
          "| peak RSS MiB, one view | peak RSS MiB, all views twice |")
    print("|---:|---|---:|---|---:|---:|---:|---:|")
    for scale, worst, all_peak, one_peak, _, _ in summary:
        ratio = worst.warm.seconds / TARGET_S
        floor = floors[PAGES[worst.name]]
        print(f"| {scale} | {worst.warm.seconds:.2f} ({worst.name} {worst.lang}) | {ratio:.2f} | "
              f"{'yes' if ratio <= 1 else 'no'} | {floor:.2f} | {worst.warm.seconds / floor:.2f} | "
              f"{one_peak:.0f} | {all_peak:.0f} |")
    for scale, _, _, _, second_round, _ in summary:
        print(f"scale {scale}: second round on the all-views server, per view s: "
              + ", ".join(f"{name}/{lang} {s:.2f}" for (name, lang), s in zip(VIEWS, second_round, strict=True)))
    for scale, warm_up in warm_ups:
        print(f"scale {scale}: the all-views server's warm-up (every page × language): {warm_up:.2f} s")
    print()
    print(server_table(summary))
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    print(f"errors: {len(problems)}")
    for e in problems:
        print("  " + e)


if __name__ == "__main__":
    main()

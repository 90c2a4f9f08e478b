"""Many sessions at once, and a warehouse refresh while they read it.

    python -m bench.load [--sessions 20] [--seconds 90] [--seed 7]

Builds the sample warehouse in a temporary folder (`python -m etl refresh --sample --db …`), starts
one Streamlit server on it (tests.browser.streamlit_server) and one Debian Chromium driven by
Playwright's async API: `--sessions` browser contexts, each with one tab, run concurrently
(asyncio.gather). Each session cycles through the six pages (starting at a different one) with
random valid filter links — lang en/fa/ru, a subset of the warehouse's provinces, flow, measure,
calendar, HS level — opening each link with `page.goto` and waiting until it is drawn (script
finished, footer with the warehouse version shown, every Plotly chart of the page drawn; see
bench.pages.DRAWN_JS). A page time is from goto until then.

Halfway through `--seconds`, `python -m etl refresh --sample --db <same path>` runs in a child
process and swaps in a new version (the old one is kept as trade.previous.duckdb). Sessions start
new pages until `--seconds` have passed and they have drawn one page begun after the refresh ended;
every wait is bounded (NAV_TIMEOUT_S per page, HARD_LIMIT_S for the whole run).

Errors: a Streamlit exception on a page, a page not drawn within NAV_TIMEOUT_S, fewer charts than
tests/test_browser.py's PAGES, a console message of type 'error' (other than Streamlit's own 404
probe of /<page>/_stcore/{health,host-config}, streamlit/streamlit#7074, counted apart), an uncaught
page error, a request not to 127.0.0.1 (aborted and recorded), a Python error in the server's log.
Version checks: every page shows exactly one version, the old or the new; pages begun before the
refresh started show the old; pages begun after it ended show the new, the first such page of every
session included; once a session has seen the new version it never sees the old again. Prints the
counts, p50/p95 page times, the server's peak RSS (VmHWM before it stops) and the versions seen
before, during and after the swap — all measured in this run; results are copied into
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from analysis.db import Warehouse, identity
from analysis.filters import Allowed
from bench.pages import (
    CHROMIUM,
    DRAWN_JS,
    FOOTER_JS,
    ROOT,
    STREAMLIT_PROBE,
    VERSION,
    VIEWPORT,
    StderrLog,
    peak_rss_mib,
    version_of,
)
from tests.browser import CHROMIUM_ARGS, LOCAL_HOSTS, streamlit_server
from tests.test_browser import PAGES

NAV_TIMEOUT_S = 150
HARD_LIMIT_S = 600  # beyond --seconds: in-flight pages finish, the refresh ends, then everything stops
LANGS = ("en", "fa", "ru")
CHOICES = {"flow": ("both", "export", "import"), "measure": ("usd", "kg"), "calendar": ("gregorian", "jalali"),
           "hs": ("2", "4", "6")}


@dataclass
class Nav:
    session: int
    page: str
    url: str
    started: float  # seconds since the run began
    seconds: float
    state: str  # drawn | exception | timeout
    script: float = 0.0  # seconds until the footer was shown (the page's script reached its end)
    plots: int = 0
    versions: tuple[str, ...] = ()
    errors: list[str] = field(default_factory=list)
    probes: int = 0  # Streamlit's own 404 base-path probes (not errors)
    phase: str = ""  # before | during | after the refresh


@dataclass
class Swap:
    at: float  # when to start, seconds since the run began
    started: float | None = None
    done: float | None = None
    returncode: int | None = None
    stderr: str = ""


def cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU seconds of a live process (with `children`, also of its reaped children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15 if children else 13])
    return ticks / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[tuple[int, str]]:
    """(pid, command name) of every live descendant of `root`."""
    parent, name = {}, {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                text = (d / "stat").read_text()
            except OSError:
                continue
            name[int(d.name)] = text[text.index("(") + 1:text.rindex(")")]
            parent[int(d.name)] = int(text.rsplit(")", 1)[1].split()[1])
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += [(c, name[c]) for c in kids]
        todo += kids
    return out


def browser_cpu_seconds(exclude: int) -> float:
    """CPU seconds of this process's Chromium processes (live ones and the renderers they reaped)."""
    total = 0.0
    for pid, name in descendants(os.getpid()):
        if pid != exclude and name.startswith("chrom"):
            try:
                total += cpu_seconds(pid, children=True)
            except OSError:
                pass
    return total


def machine_busy_seconds() -> float:
    """CPU seconds spent by everything on the machine (all cores), from /proc/stat."""
    v = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def random_link(rng: random.Random, page: str, provinces: tuple[str, ...]) -> str:
    query = {"lang": rng.choice(LANGS)}
    if rng.random() < 0.6:
        query["provinces"] = ",".join(sorted(rng.sample(provinces, rng.randint(1, len(provinces)))))
    for key, values in CHOICES.items():
        if rng.random() < 0.5:
            query[key] = rng.choice(values)
    return f"/{page}?{urlencode(query)}"


async def guard_network(context, blocked: list[str]) -> None:
    """tests.browser.guard_network for the async API: 127.0.0.1 only, everything else aborted."""

    async def route(r):
        url = r.request.url
        host = url.split("/")[2].split(":")[0] if "://" in url else ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            await r.continue_()
        else:
            blocked.append(url)
            await r.abort()

    await context.route("**/*", route)


async def session(i: int, browser, base: str, provinces: tuple[str, ...], swap: Swap, t0: float, seconds: float,
                  seed: int, navs: list[Nav]) -> None:
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    rng = random.Random(seed * 1000 + i)
    names = list(PAGES)
    blocked: list[str] = []
    console: list[str] = []
    probes: list[str] = []
    context = await browser.new_context(viewport=VIEWPORT)
    await guard_network(context, blocked)
    page = await context.new_page()

    def on_console(m) -> None:
        if m.type != "error":
            return
        url = m.location.get("url", "")
        if m.text.startswith("Failed to load resource") and STREAMLIT_PROBE.match(url):
            probes.append(url)
        else:
            console.append(f"console error: {m.text[:300]} ({url})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: console.append(f"pageerror: {str(e)[:300]}"))
    seen_after = False
    k = i
    try:
        while True:
            now = time.monotonic() - t0
            if now > seconds + HARD_LIMIT_S or (now > seconds and seen_after):
                break
            name = names[k % len(names)]
            k += 1
            url = random_link(rng, name, provinces)
            blocked.clear(), console.clear(), probes.clear()
            start = time.monotonic()
            nav = Nav(i, name, url, start - t0, 0.0, "timeout")
            try:
                await page.goto(base + url, timeout=NAV_TIMEOUT_S * 1000)
                left = max(1.0, NAV_TIMEOUT_S - (time.monotonic() - start))
                await page.wait_for_function(FOOTER_JS, timeout=left * 1000, polling=100)
                nav.script = time.monotonic() - start
                left = max(1.0, NAV_TIMEOUT_S - (time.monotonic() - start))
                handle = await page.wait_for_function(DRAWN_JS, arg=PAGES[name], timeout=left * 1000, polling=100)
                nav.state = await handle.json_value()
                nav.seconds = time.monotonic() - start
                nav.plots = await page.locator(".js-plotly-plot").count()
                nav.versions = tuple(sorted(set(VERSION.findall(await page.inner_text("body")))))
            except PlaywrightTimeout:
                nav.seconds = time.monotonic() - start
            nav.errors = list(console) + [f"blocked {u}" for u in blocked]
            nav.probes = len(probes)
            if swap.started is None or start - t0 < swap.started:
                nav.phase = "before"
            elif swap.done is not None and start - t0 > swap.done:
                nav.phase = "after"
                seen_after = seen_after or nav.state == "drawn"
            else:
                nav.phase = "during"
            navs.append(nav)
    finally:
        await context.close()


async def refresh_midway(db: Path, swap: Swap, t0: float) -> None:
    await asyncio.sleep(max(0.0, swap.at - (time.monotonic() - t0)))
    swap.started = time.monotonic() - t0
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "etl", "refresh", "--sample", "--db", str(db), cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _, err = await asyncio.wait_for(proc.communicate(), timeout=HARD_LIMIT_S / 2)
    except TimeoutError:
        proc.kill()
        _, err = await proc.communicate()
    swap.done = time.monotonic() - t0
    swap.returncode = proc.returncode
    swap.stderr = err.decode(errors="replace")[-2000:]


@dataclass
class Cpu:
    """CPU seconds used during the run (all cores), by whom."""

    server: float = 0.0
    browser: float = 0.0
    machine: float = 0.0


async def run(base: str, server_pid: int, db: Path, provinces: tuple[str, ...], sessions: int, seconds: float,
              seed: int) -> tuple[list[Nav], Swap, float, Cpu]:
    from playwright.async_api import async_playwright

    navs: list[Nav] = []
    swap = Swap(at=seconds / 2)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            cpu = Cpu(-cpu_seconds(server_pid), -browser_cpu_seconds(server_pid), -machine_busy_seconds())
            t0 = time.monotonic()
            jobs = [session(i, browser, base, provinces, swap, t0, seconds, seed, navs) for i in range(sessions)]
            await asyncio.wait_for(asyncio.gather(refresh_midway(db, swap, t0), *jobs),
                                   timeout=seconds + HARD_LIMIT_S + 60)
            wall = time.monotonic() - t0
            cpu.server += cpu_seconds(server_pid)
            cpu.browser += browser_cpu_seconds(server_pid)
            cpu.machine += machine_busy_seconds()
        finally:
            await browser.close()
    return navs, swap, wall, cpu


def nearest_rank(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))]


def version_problems(navs: list[Nav], old: str, new: str, sessions: int) -> tuple[list[str], dict[str, int]]:
    problems: list[str] = []
    first_after: dict[int, Nav] = {}
    for n in sorted(navs, key=lambda n: n.started):
        if n.state != "drawn":
            continue
        where = f"session {n.session} at {n.started:.1f} s {n.url}"
        if len(n.versions) != 1 or n.versions[0] not in (old, new):
            problems.append(f"{where}: versions on the page {n.versions}")
        elif n.phase == "before" and n.versions[0] != old:
            problems.append(f"{where}: begun before the refresh, shows {n.versions[0]}")
        elif n.phase == "after" and n.versions[0] != new:
            problems.append(f"{where}: begun after the swap, shows the old version {n.versions[0]}")
        if n.phase == "after":
            first_after.setdefault(n.session, n)
    for s in range(sessions):
        mine = sorted((n for n in navs if n.session == s and n.state == "drawn"), key=lambda n: n.started)
        saw_new = False
        for n in mine:
            if n.versions == (new,):
                saw_new = True
            elif saw_new and n.versions == (old,):
                problems.append(f"session {s} at {n.started:.1f} s {n.url}: old version after the new one")
        if s not in first_after:
            problems.append(f"session {s}: no page drawn that was begun after the swap")
    checked = {"first page after the swap shows the new version":
               sum(1 for n in first_after.values() if n.versions == (new,))}
    return problems, checked


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        db = Path(tmp) / "trade.duckdb"
        subprocess.run([sys.executable, "-m", "etl", "refresh", "--sample", "--db", str(db)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        old = version_of(db)
        print(f"load average at start: {os.getloadavg()[0]:.1f}")
        wh = Warehouse(identity(db))
        try:
            provinces = Allowed.from_warehouse(wh).provinces
        finally:
            wh.close()
        with streamlit_server(db, timeout=120) as (base, proc):
            log = StderrLog(proc)
            navs, swap, wall, cpu = asyncio.run(run(base, proc.pid, db, provinces, args.sessions, args.seconds,
                                                    args.seed))
            peak = peak_rss_mib(proc.pid)
        new = version_of(db) if swap.returncode == 0 else "(refresh failed)"
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    report(navs, swap, wall, cpu, peak, old, new, log.problems, args.sessions)


def report(navs: list[Nav], swap: Swap, wall: float, cpu: Cpu, peak: float, old: str, new: str, server: list[str],
           sessions: int) -> None:
    errors = []
    for n in navs:
        where = f"session {n.session} at {n.started:.1f} s {n.url}"
        if n.state != "drawn":
            errors.append(f"{where}: {n.state} after {n.seconds:.1f} s")
        elif n.plots != PAGES[n.page]:
            errors.append(f"{where}: {n.plots} charts, expected {PAGES[n.page]}")
        errors += [f"{where}: {e}" for e in n.errors]
    errors += [f"server log: {line}" for line in server]
    if swap.returncode != 0:
        errors.append(f"refresh exited {swap.returncode}: {swap.stderr}")
    version_errors, checked = version_problems(navs, old, new, sessions)
    drawn = [n for n in navs if n.state == "drawn"]
    phases = Counter(n.phase for n in navs)
    print(f"sessions {sessions}, navigations {len(navs)} (drawn {len(drawn)}; begun before the refresh "
          f"{phases['before']}, during {phases['during']}, after {phases['after']}), run {wall:.0f} s")
    print(f"refresh: started at {swap.started:.1f} s, swapped in by {swap.done:.1f} s "
          f"({swap.done - swap.started:.1f} s under load), exit {swap.returncode}")
    times = [n.seconds for n in drawn]
    if times:
        print(f"page time: p50 {statistics.median(times):.1f} s, p95 {nearest_rank(times, 0.95):.1f} s, "
              f"max {max(times):.1f} s")
    print(f"CPU seconds during the run ({os.cpu_count()} cores × {wall:.0f} s = {os.cpu_count() * wall:.0f}): "
          f"server {cpu.server:.0f}, Chromium {cpu.browser:.0f}, whole machine {cpu.machine:.0f}")
    print()
    print("| pages | charts | drawn | p50 s | p95 s | max s | footer shown p50 s |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    groups = [(name, PAGES[name], [n for n in drawn if n.page == name]) for name in PAGES]
    groups += [(f"begun {phase} the refresh", "", [n for n in drawn if n.phase == phase])
               for phase in ("before", "during", "after")]
    groups.append(("all", "", drawn))
    for label, charts, group in groups:
        if group:
            ts = [n.seconds for n in group]
            print(f"| {label} | {charts} | {len(ts)} | {statistics.median(ts):.1f} | {nearest_rank(ts, 0.95):.1f} "
                  f"| {max(ts):.1f} | {statistics.median(n.script for n in group):.1f} |")
    print()
    print(f"server peak RSS: {peak:.0f} MiB")
    print(f"versions: old {old}, new {new}")
    for phase in ("before", "during", "after"):
        seen = Counter(n.versions[0] if len(n.versions) == 1 else str(n.versions) for n in drawn if n.phase == phase)
        print(f"  pages begun {phase} the refresh: " + (", ".join(
            f"{'old' if v == old else 'new' if v == new else v} ×{c}" for v, c in seen.items()) or "none"))
    for what, count in checked.items():
        print(f"  sessions whose {what}: {count}/{sessions}")
    print(f"Streamlit base-path 404 probes (streamlit#7074, not counted): {sum(n.probes for n in navs)}")
    print(f"errors: {len(errors)}")
    for e in errors:
        print("  " + e)
    print(f"version problems: {len(version_errors)}")
    for e in version_errors:
        print("  " + e)


if __name__ == "__main__":
    main()

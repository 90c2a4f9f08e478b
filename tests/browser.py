"""A real Streamlit server on 127.0.0.1 and Debian's Chromium driven by Playwright, for tests and
benchmarks. Every request that would leave 127.0.0.1 is blocked and recorded."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(warehouse: Path, port: int | None = None, timeout: float = 60, log_path: Path | None = None):
    """Serve the dashboard on 127.0.0.1 against `warehouse` as `python -m pages.ui.serve` does (Streamlit
    plus the warm-up of its caches); yields (base_url, process). The server's output goes to
    `log_path` when given (to read it back), else to a temporary file."""
    port = port or free_port()
    env = {**os.environ, "CTM_WAREHOUSE": str(warehouse)}
    # a file, not a pipe: nobody reads while the server runs
    log = open(log_path, "w+b") if log_path else tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pages.ui.serve", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_healthy(base, proc, timeout):
            log.seek(0)
            raise RuntimeError("streamlit did not start: " + log.read().decode()[-2000:])
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float) -> bool:
    """Poll a Streamlit server's health check every 0.2 s until it answers (True), or until the process
    ends or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=1)
            return True
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                return False
            time.sleep(0.2)


def guard_network(context, blocked: list[str]) -> None:
    """Let requests to 127.0.0.1 through; abort and record every other one."""

    def route(r):
        url = r.request.url
        host = url.split("/")[2].split(":")[0] if "://" in url else ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)


def wait_for_charts(page, n: int, timeout_ms: int = 60_000) -> None:
    """Until n Plotly charts have drawn (each chart holds several .main-svg layers, so charts are
    counted, not layers) and the app stopped running."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('.js-plotly-plot')].filter(c => c.querySelector('.main-svg')).length >= n",
        arg=n, timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)

"""The overview read from a real warehouse, in Streamlit's AppTest and in a real browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ARTIFACTS, ROOT


@pytest.fixture
def use_warehouse(monkeypatch):
    def use(path: Path):
        import analysis.db
        import etl.paths

        monkeypatch.setattr(etl.paths, "WAREHOUSE", path)
        monkeypatch.setattr(analysis.db, "WAREHOUSE", path)
        monkeypatch.setattr(analysis.db, "_current", None)

    return use


def test_overview_shows_the_sample_with_its_banner(sample_warehouse, use_warehouse):
    use_warehouse(sample_warehouse)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert any("Synthetic sample data" in w.value for w in at.warning)
    assert len(at.metric) == 4
    assert all(m.value.startswith("$") for m in at.metric)


def test_overview_without_a_warehouse_says_how_to_build_one(tmp_path, use_warehouse):
    use_warehouse(tmp_path / "missing.duckdb")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert "python -m etl refresh" in at.error[0].value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.browser
def test_overview_in_chromium(chromium, sample_warehouse, tmp_path):
    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "CTM_WAREHOUSE": str(sample_warehouse)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        outside: list[str] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})

            def guard(route):
                host = route.request.url.split("/")[2].split(":")[0] if "://" in route.request.url else ""
                if host in ("127.0.0.1", "localhost", ""):
                    route.continue_()
                else:
                    outside.append(route.request.url)
                    route.abort()

            page.route("**/*", guard)
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
            page.get_by_text("Synthetic sample data").wait_for(timeout=30_000)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "overview_en.png"), full_page=True)
            browser.close()
        assert outside == []
    finally:
        server.terminate()
        server.wait(timeout=20)

"""The dashboard in a real browser: every page draws its charts in en, fa and ru, Persian is
right-to-left, a deep link opened first after the server starts reproduces the view, and no
request leaves 127.0.0.1. Screenshots are kept in test-artifacts/."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from analysis.i18n import t
from tests.browser import CHROMIUM_ARGS, guard_network, streamlit_server, wait_for_charts
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
PAGES = {"overview": 3, "sectors": 3, "trends": 5, "gaps": 6, "routes": 3, "data": 1}
LANGS = ("en", "fa", "ru")
DEEP = {"lang": "ru", "provinces": "IR-02", "flow": "export", "from": "1402-01", "to": "1403-12",
        "sectors": "agriculture", "hs": "4", "measure": "kg", "calendar": "jalali"}


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def deep_link_first(browser, sample_warehouse):
    """Open the deep link as the very first request after the server starts."""
    with streamlit_server(sample_warehouse) as (base, _):
        blocked: list[str] = []
        context = browser.new_context(viewport={"width": 1400, "height": 1800})
        guard_network(context, blocked)
        page = context.new_page()
        page.goto(f"{base}/sectors?{urlencode(DEEP)}")
        wait_for_charts(page, PAGES["sectors"])
        result = {"url": page.url, "title": page.locator("h1").first.inner_text(), "blocked": blocked,
                  "body": page.inner_text("body")}
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "deep_link_first_request.png"))
        context.close()
        yield result


@pytest.fixture(scope="module")
def server(sample_warehouse):
    with streamlit_server(sample_warehouse) as (base, _):
        yield base


def test_deep_link_as_first_request(deep_link_first):
    assert deep_link_first["title"] == t("nav.sectors", "ru")
    for page in ("dashboard", "overview"):
        assert f"\n{page}\n" not in deep_link_first["body"]  # no Streamlit file-name navigation
    for key, value in DEEP.items():
        assert f"{key}={value.replace(',', '%2C')}" in deep_link_first["url"]
    assert deep_link_first["blocked"] == []


AXIS_TITLE_OVERLAPS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
    const title = plot.querySelector('.ytitle');
    const ticks = [...plot.querySelectorAll('.ytick text')].filter(t => t.textContent.trim());
    if (!title || !ticks.length) return [];
    const right = title.getBoundingClientRect().right;
    const left = Math.min(...ticks.map(t => t.getBoundingClientRect().left));
    return right > left + 1 ? [[title.textContent, right, left]] : [];
})"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_draws_its_charts(browser, server, name, lang):
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    guard_network(context, blocked)
    page = context.new_page()
    page.goto(f"{server}/{name}?lang={lang}")
    wait_for_charts(page, PAGES[name])
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text() == t(f"nav.{name}", lang)
    assert page.get_by_text(t("banner.sample", lang)).count() >= 1
    direction = page.evaluate("document.documentElement.dir")
    assert direction == ("rtl" if lang == "fa" else "ltr")
    if lang == "fa":
        main_dir = page.evaluate("getComputedStyle(document.querySelector('[data-testid=\"stAppViewContainer\"]'))"
                                 ".direction")
        assert main_dir == "rtl"
        # paragraphs and captions end on the right, as Persian is read (Streamlit aligns captions left)
        aligns = page.evaluate("[...document.querySelectorAll('[data-testid=\"stCaptionContainer\"], "
                               "[data-testid=\"stMarkdownContainer\"]')].map(c => getComputedStyle(c).textAlign)")
        assert aligns and set(aligns) == {"right"}, set(aligns)
        # the charts are laid out left to right, and Plotly measures their labels so too: each value
        # axis's title stands clear of its tick labels (measured right to left, they overlapped)
        assert set(page.evaluate("[...document.querySelectorAll('.js-plotly-plot')]"
                                 ".map(p => getComputedStyle(p).direction)")) == {"ltr"}
        overlaps = page.evaluate(AXIS_TITLE_OVERLAPS)
        assert overlaps == [], overlaps
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}_{lang}.png"), full_page=True)
    context.close()
    assert blocked == []


def test_changing_a_filter_updates_the_link(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.goto(f"{server}/overview?lang=en")
    wait_for_charts(page, PAGES["overview"])
    page.get_by_text(t("measure.kg", "en"), exact=True).click()
    page.wait_for_url("**measure=kg**", timeout=30_000)
    wait_for_charts(page, PAGES["overview"])
    reopened = context.new_page()
    reopened.goto(page.url)
    wait_for_charts(reopened, PAGES["overview"])
    # the reopened link's charts are in tonnes (all but the target, which is agreed in dollars)
    assert reopened.locator(".js-plotly-plot text", has_text=t("axis.kg", "en")).count() >= 2
    context.close()


@pytest.mark.parametrize("fmt", ["png", "csv"])
def test_download_buttons_under_a_chart(browser, server, fmt, tmp_path):
    """The buttons behind a chart's "Files" deliver the stamped file with a name that says what is inside."""
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/sectors?lang=fa&provinces=IR-02&from=1402-01&to=1402-12&calendar=jalali")
    wait_for_charts(page, PAGES["sectors"])
    assert page.get_by_role("button", name=fmt.upper(), exact=True).count() == 0  # drawn only when asked for
    page.get_by_role("button", name=t("export.download", "fa")).first.click()  # the first chart's "Files"
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=fmt.upper(), exact=True).first.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    context.close()
    # the first chart of the page is the HS treemap, for Mazandaran, over the Jalali year 1402
    assert download.suggested_filename == f"mazandaran-volgograd_trade_by-hs-section-chapter-heading_1402_fa.{fmt}"
    data = path.read_bytes()
    if fmt == "png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    else:
        assert data.startswith(b"\xef\xbb\xbf") and len(data.splitlines()) > 3


LABELS_OUTSIDE = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
    const box = plot.querySelector('.main-svg').getBoundingClientRect();
    return [...plot.querySelectorAll('.ytick text, .xtick text')]
        .map(el => el.getBoundingClientRect())
        .filter(r => r.width > 0 && (r.left < box.left - 1 || r.right > box.right + 1))
        .map(r => [Math.round(r.left - box.left), Math.round(box.right - r.right)]);
})"""


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_long_axis_labels_stay_inside_their_chart(browser, server, lang):
    """The RCA chart's labels ("Golestan · 730630 Iron or steel …") are the longest on the dashboard.
    In Persian the page is right-to-left, and Plotly, measuring them right-to-left, left no room for
    them: they were cut at the chart's left edge."""
    context = browser.new_context(viewport={"width": 1400, "height": 4000})
    page = context.new_page()
    page.goto(f"{server}/gaps?lang={lang}")
    wait_for_charts(page, PAGES["gaps"])
    page.wait_for_timeout(500)
    assert page.evaluate(LABELS_OUTSIDE) == []
    context.close()


def test_data_page_downloads_and_the_views_link(browser, server, tmp_path):
    """The Data page's CSV downloads are made when clicked (not on every run) and hold the table; the
    footer names the view's link as text (a code span, not st.code's highlighted block)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{server}/data?lang=en&provinces=IR-01")
    wait_for_charts(page, PAGES["data"])
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=t("data.download_bilateral", "en")).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert path.name.startswith("bilateral_estimate_") and len(lines) > 10
    assert "IR-02" not in "".join(lines[1:]) and "IR-01" in lines[1]  # the filters' province only
    page.get_by_text(t("filter.copy_link", "en")).click()
    link = page.locator("code", has_text="/data?").first.inner_text()
    assert link.startswith(server) and "provinces=IR-01" in link
    assert page.locator('[data-testid="stCode"]').count() == 0
    context.close()


def test_the_server_warms_its_caches_at_start_and_after_a_refresh(tmp_path, sample_warehouse):
    """Without any visit, the server's log tells of a warm-up of the live version right after the
    start, and of the new version a refresh swaps in (os.replace, as etl.warehouse does), each for every
    page in every language (that a visit then runs no query: tests/test_dashboard.py)."""
    import os
    import re
    import shutil
    import time

    import duckdb

    live, log = tmp_path / "trade.duckdb", tmp_path / "server.log"
    shutil.copyfile(sample_warehouse, live)

    def warmed(timeout_s: float = 90) -> list[str]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = re.findall(r"warm-up of version (\S+ \S+): (\d+) views", log.read_text(errors="replace"))
            if found and found[-1][0] not in seen:
                return list(found[-1])
            time.sleep(0.2)
        raise AssertionError("no warm-up in the server's log:\n" + log.read_text(errors="replace")[-3000:])

    seen: set[str] = set()
    with streamlit_server(live, log_path=log):
        first = warmed()
        seen.add(first[0])
        assert first[1] == str(len(PAGES) * len(LANGS))
        new = tmp_path / "trade.duckdb.building"
        shutil.copyfile(sample_warehouse, new)
        con = duckdb.connect(str(new))
        con.execute("update meta set value = value || '-next' where key = 'version'")
        con.close()
        os.replace(new, live)
        second = warmed()
        assert second[0] == first[0] + "-next" and second[1] == first[1]
    assert "Traceback" not in log.read_text(errors="replace")

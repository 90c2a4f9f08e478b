"""Which charts Plotly draws twice: every page in every language in headless Chromium, as a user sees it.

    python -m bench.margins [--pages trends,overview] [--langs en,fa,ru]

Builds the shipped sample's warehouse, serves it (`python -m pages.ui.serve`), opens each page at
1280 × 900 and, once its charts are drawn, compares each chart's margins as the figure asked for them
(`gd.layout.margin`) with the margins Plotly drew it with (`gd._fullLayout._size`). A margin wider
than asked was pushed by `automargin`: Plotly measured labels that did not fit and drew the chart a
second time (analysis/margins.py reserves room for the labels it knows to avoid that). Prints one line
per chart and the count; bench/RESULTS.md ("Pages") keeps the counts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.pages import CHROMIUM, build
from tests.browser import CHROMIUM_ARGS, streamlit_server
from tests.test_browser import PAGES

SIDES = "lrtb"
CHARTS_JS = r"""() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
    const asked = gd.layout.margin || {}, s = gd._fullLayout._size;
    return {width: gd._fullLayout.width, title: (gd.layout.title || {}).text || '', asked,
            drawn: {l: s.l, r: s.r, t: s.t, b: s.b}};
})"""


def pushed(chart: dict) -> dict[str, tuple[int, int]]:
    """Sides drawn wider than asked: side -> (asked, drawn)."""
    asked, drawn = chart["asked"], chart["drawn"]
    return {k: (asked[k], round(drawn[k])) for k in SIDES if asked.get(k) is not None and drawn[k] > asked[k] + 0.5}


def main(argv: list[str] | None = None) -> None:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", default=",".join(PAGES))
    ap.add_argument("--langs", default="en,fa,ru")
    args = ap.parse_args(argv)
    total = twice = 0
    with tempfile.TemporaryDirectory(prefix="ctm-bench-margins-") as tmp, sync_playwright() as p:
        db = build("1", Path(tmp))
        with streamlit_server(db) as (base, _):
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for lang in args.langs.split(","):
                for name in args.pages.split(","):
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(f"{base}/{name}?lang={lang}")
                    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
                    time.sleep(3)  # the page's other charts
                    for chart in page.evaluate(CHARTS_JS):
                        sides = pushed(chart)
                        total += 1
                        twice += bool(sides)
                        title = chart["title"].replace("<b>", "").replace("</b>", "")[:50]
                        print(f"{lang} {name:9s} {chart['width']:5d} px  {title:50s} "
                              + (f"drawn twice: {sides}" if sides else "once"), flush=True)
                    page.close()
            browser.close()
    print(f"{twice} of {total} charts drawn twice (automargin pushed a margin)")


if __name__ == "__main__":
    main()

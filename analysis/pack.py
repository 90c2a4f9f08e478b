"""The chart pack: every standard chart (analysis.charts.CHARTS) for one filter set and language,
in each asked format, plus an offline `index.html` that shows them with their captions. Charts,
their queries, titles and notes all come from the registry; queries run once per pack.

Images share one browser (analysis.export starts kaleido's server once). Without a browser the
PNG and SVG files are skipped with the install hint and everything else is still written. A chart
that fails to build or export is reported and the others are still written.
"""

from __future__ import annotations

import html
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from analysis import charts, export
from analysis.db import Warehouse
from analysis.filters import Filters
from analysis.i18n import is_rtl, t
from analysis.names import Names
from analysis.style import FONT, SAMPLE_COLOR


@dataclass
class Entry:
    chart: charts.Chart
    stamp: export.Stamp
    files: dict[str, str] = field(default_factory=dict)  # format -> file name (written)


@dataclass
class PackResult:
    out: Path
    entries: list[Entry]
    index: Path
    skipped: dict[str, str]  # format -> why it was not written (no browser)
    problems: list[str]  # "<chart key> <format>: what went wrong"
    seconds: float

    @property
    def files(self) -> list[Path]:
        return [self.out / name for e in self.entries for name in e.files.values()]


def fetcher(wh: Warehouse, f: Filters) -> charts.Fetch:
    """`fetch(query)` for Chart.figure and stamp_for: query(wh, f), run once per query."""
    cache: dict[charts.Query, pd.DataFrame] = {}

    def fetch(query: charts.Query) -> pd.DataFrame:
        if query not in cache:
            cache[query] = query(wh, f)
        return cache[query].copy()  # a figure may change what it gets

    return fetch


def write_pack(wh: Warehouse, f: Filters, out: Path, formats: Iterable[str] = export.FORMATS, *,
               names: Names | None = None, on_step: Callable[[str], None] | None = None) -> PackResult:
    """Write every chart of analysis.charts.CHARTS for `f` (in f.lang) into `out`, and index.html.

    `on_step(description)` is called once per file written or skipped (a progress bar advances on it).
    """
    started = time.perf_counter()
    formats = [fmt for fmt in export.FORMATS if fmt in set(formats)]
    out.mkdir(parents=True, exist_ok=True)
    names = names or Names.from_warehouse(wh)
    step = on_step or (lambda _: None)
    skipped: dict[str, str] = {}
    if any(fmt in export.IMAGE_FORMATS for fmt in formats) and export.render.find_browser() is None:
        skipped = {fmt: export.BrowserMissing.message("en") for fmt in formats if fmt in export.IMAGE_FORMATS}
    fetch = fetcher(wh, f)
    entries: list[Entry] = []
    problems: list[str] = []
    taken: dict[str, str] = {}  # file stem -> chart key, so two charts never share a file
    for chart in charts.CHARTS:
        entry = Entry(chart, export.stamp_for(chart, fetch, f, names, wh.meta))
        entries.append(entry)
        try:
            fig: go.Figure | None = chart.figure(fetch, f, names)
        except Exception as e:  # noqa: BLE001 — reported; the other charts are still written
            problems.append(f"{chart.key}: could not be built ({type(e).__name__}: {e})")
            fig = None
        for fmt in formats:
            step(f"{chart.key}.{fmt}")
            if fig is None or fmt in skipped:
                continue
            name = _unique_name(chart, f, names, fmt, taken)
            try:
                data = export.to_bytes(fig, entry.stamp, fmt)
            except export.BrowserMissing as e:
                skipped.update({x: str(e) for x in export.IMAGE_FORMATS if x in formats})
                continue
            except Exception as e:  # noqa: BLE001
                problems.append(f"{chart.key} {fmt}: {type(e).__name__}: {e}")
                continue
            (out / name).write_bytes(data)
            entry.files[fmt] = name
    index = out / "index.html"
    index.write_text(index_html(entries, f, skipped), encoding="utf-8")
    step("index.html")
    return PackResult(out, entries, index, skipped, problems, time.perf_counter() - started)


def _unique_name(chart: charts.Chart, f: Filters, names: Names, fmt: str, taken: dict[str, str]) -> str:
    """The chart's file name; when another chart's slug gives the same name (the target chart is on
    two pages), the page goes in front of the slug."""
    name = export.file_name(chart, f, names, fmt)
    stem = name.rsplit(".", 1)[0]
    if taken.setdefault(stem, chart.key) != chart.key:
        name = name.replace(f"_{chart.slug}_", f"_{chart.page}-{chart.slug}_", 1)
        taken.setdefault(name.rsplit(".", 1)[0], chart.key)
    return name


def steps(formats: Iterable[str]) -> int:
    """How many times write_pack calls on_step."""
    return len(charts.CHARTS) * len([fmt for fmt in export.FORMATS if fmt in set(formats)]) + 1


# ---------------------------------------------------------------- index.html

_INDEX = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: {font}; margin: 1.5rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }}
header p {{ margin: 0.25rem 0; }}
.sample {{ color: {red}; font-weight: 600; }}
.skipped {{ color: #8a5a00; }}
nav a {{ margin-inline-end: 1rem; }}
figure {{ margin: 1.5rem 0 2.5rem; border-top: 1px solid #ddd; padding-top: 1rem; }}
figure img {{ width: 100%; height: auto; border: 1px solid #eee; }}
figure iframe {{ width: 100%; height: 620px; border: 1px solid #eee; }}
figcaption {{ font-size: 0.9rem; color: #444; line-height: 1.5; }}
figcaption .title {{ font-size: 1.05rem; font-weight: 600; color: #222; }}
.files a {{ margin-inline-end: 0.75rem; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
{header}
</header>
<nav>{nav}</nav>
{sections}
</body>
</html>
"""


def index_html(entries: list[Entry], f: Filters, skipped: dict[str, str]) -> str:
    """The pack's contents page: works offline (relative links only), grouped by dashboard page.

    What every chart shares — filters, as-of date and version, the sample mark — is said once at the
    top; each caption holds the chart's own title, sources and note, and links to its files.
    """
    lang = f.lang
    esc = html.escape
    first = entries[0].stamp
    title = f"{t('app.title', lang)} — {t('export.pack_title', lang)}"
    header = []
    if first.sample:
        header.append(f'<p class="sample">{esc(first.sample)}</p>')
    header += [f"<p>{esc(first.filters)}</p>", f"<p>{esc(first.as_of)}</p>"]
    if skipped:
        note = t("export.skipped", lang, formats=", ".join(fmt.upper() for fmt in skipped),
                 reason=export.BrowserMissing.message(lang))
        header.append(f'<p class="skipped">{esc(note)}</p>')
    pages = list(dict.fromkeys(e.chart.page for e in entries))
    nav = " ".join(f'<a href="#page-{p}">{esc(t(f"nav.{p}", lang))}</a>' for p in pages)
    sections = []
    for page in pages:
        figures = [_figure_html(e, lang) for e in entries if e.chart.page == page and e.files]
        if figures:
            sections.append(f'<section id="page-{page}">\n<h2>{esc(t(f"nav.{page}", lang))}</h2>\n'
                            + "\n".join(figures) + "\n</section>")
    return _INDEX.format(lang=lang, dir="rtl" if is_rtl(lang) else "ltr", title=esc(title),
                         font=esc(FONT, quote=False), red=SAMPLE_COLOR, header="\n".join(header),
                         nav=nav, sections="\n".join(sections))


def _figure_html(entry: Entry, lang: str) -> str:
    esc = html.escape
    files = entry.files
    href = {fmt: urllib.parse.quote(name) for fmt, name in files.items()}
    image = href.get("png") or href.get("svg")
    if image:
        shown = f'<img src="{image}" alt="{esc(entry.stamp.title)}" loading="lazy">'
        if "html" in href:
            shown = f'<a href="{href["html"]}">{shown}</a>'
    elif "html" in href:
        shown = f'<iframe src="{href["html"]}" title="{esc(entry.stamp.title)}" loading="lazy"></iframe>'
    else:
        shown = ""
    links = " ".join(f'<a href="{href[fmt]}">{fmt.upper()}</a>' for fmt in export.FORMATS if fmt in href)
    caption = [f'<span class="title">{esc(entry.stamp.title)}</span>', esc(entry.stamp.sources)]
    if entry.stamp.note:
        caption.append(esc(entry.stamp.note))
    caption.append(f'<span class="files">{esc(t("export.download", lang))}: {links}</span>')
    return (f'<figure id="{entry.chart.key}">\n{shown}\n<figcaption>' + "<br>".join(caption)
            + "</figcaption>\n</figure>")

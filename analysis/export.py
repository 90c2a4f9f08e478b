"""Exports of one chart: PNG and SVG (kaleido driving the Chromium or Chrome on this machine),
standalone HTML that works offline, and CSV and XLSX of exactly the plotted data.

Every export carries a `Stamp` in the chart's language — title, the filters in words, sources, the
data's as-of date and version, the estimation method or τ where it applies, and the synthetic-sample
mark. Images get it drawn into the figure (`stamped`); HTML pages and XLSX files also carry it as
text. Persian lines are wrapped in a right-to-left isolate (U+2067 … U+2069): Plotly draws SVG text
left-to-right, which would put a Persian sentence that holds Latin words ("UN Comtrade", "τ") in
the wrong order.

Images reuse one browser per process: kaleido's sync server is started on the first image (≈1.5 s)
and later images take ≈0.1–0.3 s (DESIGN §7). Calls into it are serialised by a lock (its request
and reply queues are shared), and a browser that dies is reported instead of waiting forever.

The data exports are read back from the figure's traces (`figure_data`), so a CSV holds what was
drawn, not what a query returned.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import os
import queue
import re
import shutil
import textwrap
import threading
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import i18n, queries
from analysis.i18n import Names, t

FORMATS = ("png", "svg", "html", "csv", "xlsx")
IMAGE_FORMATS = ("png", "svg")  # need a browser
MIME = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html",
        "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
WIDTH, HEIGHT = 1400, 800  # exported image size in pixels
BROWSER_ENV = ("CHROME_PATH", "BROWSER_PATH")
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_COMMAND = "apt-get install chromium fonts-dejavu-core"
RENDER_TIMEOUT = 120  # seconds for one image before the browser is considered stuck
PROJECT_PROVINCES = ("IR-01", "IR-02", "IR-27")  # Gilan, Mazandaran, Golestan: all three -> "provinces"
MIRROR_CHART = "gaps_mirror"

# The title each standard chart carries in an export (analysis.charts keys -> locale keys).
TITLES = {
    "overview_by_province": "chart.by_province",
    "overview_trend": "chart.trend",
    "overview_targets": "chart.targets",
    "sectors_treemap": "chart.treemap",
    "sectors_bars": "chart.sectors",
    "sectors_shares": "chart.sector_shares",
    "trends_monthly": "chart.trend",
    "trends_annual": "chart.annual",
    "trends_moving_sum": "chart.moving_sum",
    "trends_seasonality": "chart.seasonality",
    "trends_reported": "chart.reported_vs_estimate",
    "gaps_potential": "chart.potential",
    "gaps_complementarity": "chart.complementarity",
    "gaps_balance": "chart.balance",
    "gaps_mirror": "chart.mirror",
    "gaps_targets": "chart.targets",
    "routes_map": "chart.routes_map",
    "routes_modes": "chart.by_mode",
    "routes_offices": "chart.by_office",
    "data_coverage": "chart.coverage",
}

SAMPLE_COLOR = "#c62828"
FOOTER_FONT = 12
FOOTER_LINE = 17  # px per footer line
CHAR_PX = 0.6  # average glyph width as a share of the font size, for wrapping (DejaVu/Noto are wide)
RLI, PDI = "\u2067", "\u2069"


class BrowserMissing(Exception):
    """PNG and SVG need Chromium or Chrome; `message(lang)` says so in the UI's language."""

    formats = IMAGE_FORMATS

    def __init__(self) -> None:
        super().__init__(self.message("en"))

    @staticmethod
    def message(lang: str = "en") -> str:
        return t("export.browser_missing", lang, command=INSTALL_COMMAND)


class RenderError(RuntimeError):
    """The browser failed or stopped while drawing an image."""


def find_browser() -> str | None:
    """CHROME_PATH or BROWSER_PATH when it names an executable file, else the first of chromium,
    chromium-browser, google-chrome, google-chrome-stable on PATH; None when there is none."""
    for var in BROWSER_ENV:
        path = os.environ.get(var)
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    for name in BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


# ---------------------------------------------------------------- the stamp


@dataclass(frozen=True)
class Stamp:
    title: str
    filters: str
    sources: str
    as_of: str
    method: str  # "" when the chart shows no estimate and no mirror comparison
    sample: str  # "" unless the warehouse holds synthetic sample data
    lang: str

    def footer(self) -> list[str]:
        """The lines under an image, in order; empty ones left out."""
        return [line for line in (self.filters, self.sources, self.method, self.as_of) if line]

    def lines(self) -> list[str]:
        """Every text of the stamp, title first (for XLSX's "about" sheet and captions)."""
        return [line for line in (self.title, self.sample, *self.footer()) if line]


def stamp_for(chart, f, names: Names, meta: dict, lang: str) -> Stamp:
    """The stamp of `chart` (analysis.charts.Chart) under filters `f`, all texts in `lang`.
    `meta` is the warehouse's meta table (Warehouse.meta: version, built_at, is_sample)."""
    if chart.key not in TITLES:
        raise KeyError(f"no export title for chart {chart.key!r}; add it to analysis.export.TITLES")
    tau = i18n.fmt_percent(queries.DEFAULT_TAU, lang, decimals=0)
    title = t(TITLES[chart.key], lang, tau=tau)
    sources = t("stamp.sources", lang, sources=_join([t(f"source.{s}", lang) for s in chart.sources], lang))
    if chart.key == MIRROR_CHART:
        method = t("stamp.tau", lang, tau=tau)
    elif chart.estimated:
        method = t("stamp.method", lang, method=t("method.proportional", lang))
    else:
        method = ""
    sample = t("banner.sample", lang) if str(meta.get("is_sample")) == "True" else ""
    return Stamp(title=title, filters=filters_in_words(f, names, lang), sources=sources,
                 as_of=_as_of(meta, f.calendar, lang), method=method, sample=sample, lang=lang)


def filters_in_words(f, names: Names, lang: str) -> str:
    """"Provinces: Gilan, Mazandaran · Direction: … · Period: January 2024 – December 2024 · …"."""
    provinces = _join([names.region(p, lang) for p in f.provinces], lang)
    sectors = _join([names.sector(s, lang) for s in f.sectors], lang) if f.sectors else t("filter.sectors_all", lang)
    parts = [
        (t("filter.provinces", lang), provinces),
        (t("filter.flow", lang), t(f"flow.{f.flow}", lang)),
        (t("filter.period", lang), period_in_words(f, lang)),
        (t("filter.sectors", lang), sectors),
        (t("filter.measure", lang), t(f"measure.{f.measure}", lang)),
    ]
    return " · ".join(f"{label}: {value}" for label, value in parts)


def period_in_words(f, lang: str) -> str:
    """The selected months in the filter's calendar ("Farvardin 1403 – Esfand 1403"). A month given in
    the other calendar keeps its own (Jalali and Gregorian months do not line up, so converting it
    would name a different span than the data cover)."""
    return f"{_month_words(f.month_from, f.calendar, lang)} – {_month_words(f.month_to, f.calendar, lang)}"


def _month_words(label: str, calendar: str, lang: str) -> str:
    year, month = (int(x) for x in label.split("-"))
    own = "jalali" if year < 1500 else "gregorian"
    return i18n.month_label(year, month, own if own != calendar else calendar, lang)


def _as_of(meta: dict, calendar: str, lang: str) -> str:
    built = meta.get("built_at")
    try:
        day = dt.datetime.fromisoformat(str(built)).date()
    except ValueError:
        return ""
    version = str(meta.get("version", ""))
    # the version ("2026-11-26 04:15:49Z/ebb5d47d") would be reordered inside Persian text
    version = i18n.ltr(version) if i18n.is_rtl(lang) and version else version
    return t("stamp.data_as_of", lang, built=i18n.date_label(day, calendar, lang), version=version)


def _join(items: list[str], lang: str) -> str:
    return ("، " if lang == "fa" else ", ").join(items)


# ---------------------------------------------------------------- stamped figure


def _dir(text: str, lang: str) -> str:
    return f"{RLI}{text}{PDI}" if text and i18n.is_rtl(lang) else text


def _wrap(text: str, chars: int) -> list[str]:
    """Lines of at most `chars` characters, broken between " · " parts where possible, so a filter's
    label stays with its value."""
    chars = max(chars, 30)
    lines: list[str] = []
    for part in text.split(" · "):
        if lines and len(lines[-1]) + 3 + len(part) <= chars:
            lines[-1] += " · " + part
        else:
            lines += textwrap.wrap(part, width=chars, break_long_words=False, break_on_hyphens=False) or [""]
    return lines


def stamped(fig: go.Figure, stamp: Stamp, *, width: int = WIDTH, footer: bool = True) -> go.Figure:
    """A copy of `fig` with the stamp's title, the sample mark in red under it, and (footer=True) the
    filters, sources, method and as-of lines under the plot; right-aligned in Persian.

    Margins are in pixels, so the layout holds at any export height. The footer hangs below the plot
    area, under room kept for the x axis's labels (estimated from the labels, see `_axis_room`).
    """
    out = go.Figure(fig)
    rtl = i18n.is_rtl(stamp.lang)
    margin = out.layout.margin
    top, bottom = margin.t if margin.t is not None else 90, margin.b if margin.b is not None else 40
    old_bottom = bottom
    title = {"text": _dir(html.escape(stamp.title, quote=False), stamp.lang), "x": 0.99 if rtl else 0.01,
             "xanchor": "right" if rtl else "left", "xref": "container", "y": 1, "yanchor": "top",
             "yref": "container", "pad": {"t": 14}, "font": {"size": 17}}
    extra_top = 0
    if stamp.sample:
        title["subtitle"] = {"text": _dir(html.escape(stamp.sample, quote=False), stamp.lang),
                             "font": {"color": SAMPLE_COLOR, "size": 13}}
        extra_top = 22
    out.update_layout(title=title)
    annotations = list(out.layout.annotations or ())
    if footer:
        # the footer starts at the plot area's edge (right in Persian) and may run on under the other
        # side's margin, below the axis labels
        left, right = _side_room(out)
        usable = width - (right if rtl else left) - 20
        chars = int(usable / (FOOTER_FONT * CHAR_PX))
        lines = [w for line in stamp.footer() for w in _wrap(line, chars)]
        room = _axis_room(out)
        for i, line in enumerate(lines):
            annotations.append(go.layout.Annotation(
                text=_dir(html.escape(line, quote=False), stamp.lang), showarrow=False, xref="paper", yref="paper",
                x=1 if rtl else 0, y=0, xanchor="right" if rtl else "left", yanchor="top",
                yshift=-(room + i * FOOTER_LINE), align="right" if rtl else "left",
                font={"size": FOOTER_FONT, "color": "#444444"}))
        bottom = max(bottom, room + len(lines) * FOOTER_LINE + 20)
    new_top = max(top, 60) + extra_top
    if out.layout.height:  # the page's own height (HTML); an image export sets its size itself
        out.update_layout(height=out.layout.height + (new_top - top) + (bottom - old_bottom))
    out.update_layout(annotations=annotations,
                      margin={"t": new_top, "b": bottom,
                              "l": margin.l if margin.l is not None else 60,
                              "r": margin.r if margin.r is not None else 30})
    return out


def _cartesian(fig: go.Figure) -> bool:
    return any(tr.type in ("bar", "scatter", "scattergl", "heatmap", "box", "histogram") for tr in fig.data) and \
        fig.layout.xaxis.visible is not False


def _label_px(labels, font: int = 13) -> float:
    texts = [str(v) for v in labels if v is not None]
    return max((len(s) for s in texts), default=0) * font * CHAR_PX


def _axis_room(fig: go.Figure) -> int:
    """Pixels below the plot area for the x axis's tick labels and title (0 without axes)."""
    if not _cartesian(fig):
        return 12
    xaxis = fig.layout.xaxis
    ticks = list(xaxis.ticktext) if xaxis.ticktext else []
    if not ticks:
        for tr in fig.data:
            x = getattr(tr, "x", None)
            if x is not None and len(x) and isinstance(x[0], str) and getattr(tr, "orientation", None) != "h":
                ticks = list(dict.fromkeys(list(x)))
                break
    longest = _label_px(ticks)
    angle = xaxis.tickangle if isinstance(xaxis.tickangle, int | float) else 0
    if not angle and ticks and longest * len(ticks) > (WIDTH - 200) * 0.9:  # Plotly tilts crowded labels by 30°
        angle = 30
    label_h = 18 + longest * abs(math.sin(math.radians(angle)))
    title_h = 24 if xaxis.title and xaxis.title.text else 0
    return int(label_h + title_h + 16)


def _side_room(fig: go.Figure) -> tuple[int, int]:
    """Pixels left and right of the plot area: margins, y tick labels, a side legend or colorbar."""
    margin = fig.layout.margin
    left = margin.l if margin.l is not None else 60
    right = margin.r if margin.r is not None else 30
    if _cartesian(fig):
        ticks = []
        for tr in fig.data:
            y = getattr(tr, "y", None)
            if y is not None and len(y) and isinstance(y[0], str):
                ticks += list(y)
        left = max(left, int(_label_px(ticks)) + 50)
    legend = fig.layout.legend
    if legend.orientation == "v" and (legend.x or 0) > 1:
        names = [tr.name for tr in fig.data if tr.name and tr.showlegend is not False]
        right += int(_label_px(names, 11)) + 50
    if any(tr.type == "heatmap" for tr in fig.data):
        right += 120
    return left, right


# ---------------------------------------------------------------- the plotted data


def figure_data(fig: go.Figure) -> pd.DataFrame:
    """The data exactly as plotted, read back from the traces, one table for the whole figure.

    Column `trace` holds the trace's name ("" when unnamed), then per trace type:
    bar/scatter: x, y and — when the trace has error bars — lower and upper (the value ± the error
    as drawn), one row per point; treemap: ids, labels, parents, values; heatmap: the long form
    x, y, z; scattermap/scattermapbox/scattergeo: lon, lat, text. Any other type: its 1-D x, y, z,
    lat, lon, labels, values and text arrays.

    Skipped: only helper traces that draw one edge of a filled band and carry nothing of their own —
    hoverinfo "skip", no name, lines of width 0. A band edge that has a name (as in the trend charts)
    is plotted data and kept.
    """
    frames = []
    for trace in fig.data:
        if _band_helper(trace):
            continue
        name = trace.name or ""
        kind = trace.type
        if kind in ("bar", "scatter", "scattergl"):
            frame = _xy(trace)
        elif kind == "treemap":
            frame = pd.DataFrame({c: _arr(getattr(trace, c)) for c in ("ids", "labels", "parents", "values")})
        elif kind == "heatmap":
            frame = _heatmap(trace)
        elif kind in ("scattermap", "scattermapbox", "scattergeo"):
            lon, lat = _arr(trace.lon), _arr(trace.lat)
            text = _arr(trace.text) if trace.text is not None and not isinstance(trace.text, str) else \
                [trace.text] * len(lon)
            frame = pd.DataFrame({"lon": lon, "lat": lat, "text": text})
        else:
            frame = pd.DataFrame({c: _arr(getattr(trace, c, None)) for c in ("x", "y", "z", "lat", "lon", "labels",
                                                                               "values", "text")
                                  if _is_1d(getattr(trace, c, None))})
        frame.insert(0, "trace", name)
        frames.append(frame)
    if not frames:
        return pd.DataFrame({"trace": pd.Series(dtype="object")})
    return pd.concat(frames, ignore_index=True)


def _band_helper(trace) -> bool:
    if trace.type != "scatter" or trace.name or trace.hoverinfo != "skip":
        return False
    return trace.line.width == 0 or bool(trace.fill)


def _is_1d(v) -> bool:
    return v is not None and not isinstance(v, str) and np.ndim(np.asarray(v, dtype=object)) == 1


def _arr(v) -> list:
    if v is None:
        return []
    a = np.asarray(v)
    if np.issubdtype(a.dtype, np.datetime64):
        return list(pd.to_datetime(a))
    return list(v)


def _column(v, n: int) -> pd.Series:
    """A trace coordinate as a Series; datetimes stay datetimes, a missing x/y is the point index."""
    if v is None:
        return pd.Series(range(n))
    a = np.asarray(v)
    if np.issubdtype(a.dtype, np.datetime64):
        return pd.Series(pd.to_datetime(a))
    if a.dtype == object and len(a) and all(isinstance(x, pd.Timestamp | dt.datetime | dt.date) for x in a):
        return pd.Series(pd.to_datetime(a))
    return pd.Series(list(a))


def _xy(trace) -> pd.DataFrame:
    n = max(len(trace.x) if trace.x is not None else 0, len(trace.y) if trace.y is not None else 0)
    frame = pd.DataFrame({"x": _column(trace.x, n), "y": _column(trace.y, n)})
    for axis in ("x", "y"):
        err = getattr(trace, f"error_{axis}", None)
        if err is None or err.visible is False or (err.array is None and err.type in (None, "data")):
            continue
        value = pd.to_numeric(frame[axis], errors="coerce").to_numpy(dtype="float64")
        plus = _error(err, value, minus=False)
        minus = _error(err, value, minus=True)
        frame["lower"] = value - minus
        frame["upper"] = value + plus
    return frame


def _error(err, value: np.ndarray, *, minus: bool) -> np.ndarray:
    kind = err.type or "data"
    symmetric = err.symmetric if err.symmetric is not None else (err.arrayminus is None and err.valueminus is None)
    if kind == "data":
        arr = err.array if (symmetric or not minus) else err.arrayminus
        return np.zeros(len(value)) if arr is None else np.asarray(arr, dtype="float64")
    amount = err.value if (symmetric or not minus) else err.valueminus
    amount = 10.0 if amount is None else float(amount)  # Plotly's default
    if kind == "percent":
        return np.abs(value) * amount / 100
    if kind == "constant":
        return np.full(len(value), amount)
    raise ValueError(f"error bars of type {kind!r} are not exported")


def _heatmap(trace) -> pd.DataFrame:
    z = np.asarray(trace.z, dtype="float64")
    rows, cols = z.shape
    xs = _column(trace.x, cols).tolist()
    ys = _column(trace.y, rows).tolist()
    return pd.DataFrame({"x": [xs[j] for i in range(rows) for j in range(cols)],
                         "y": [ys[i] for i in range(rows) for j in range(cols)],
                         "z": z.reshape(-1)})


# ---------------------------------------------------------------- file names


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def file_name(chart, f, names: Names, ext: str) -> str:
    """What is inside, in ASCII: `<provinces>-volgograd_<direction>_<chart>[_<sectors>][_tonnes]_<period>_
    <lang>.<ext>`, e.g. `mazandaran-volgograd_exports_by-sector_2024_fa.png`.

    Provinces by English name ("provinces" for all three); direction exports / imports / trade; the
    sectors only when some are selected (up to three by key, else "<n>-sectors"); "tonnes" when the
    measure is weight; the period as one year (a whole year of its calendar: 2024 or 1403) or
    `<from>_<to>` months.
    """
    provinces = "provinces" if set(PROJECT_PROVINCES) <= set(f.provinces) else \
        "-".join(_slug(names.region(p, "en")) or _slug(p) for p in f.provinces)
    direction = {"export": "exports", "import": "imports", "both": "trade"}[f.flow]
    parts = [f"{provinces}-volgograd", direction, chart.slug]
    if f.sectors:
        parts.append("-".join(_slug(s) for s in f.sectors) if len(f.sectors) <= 3 else f"{len(f.sectors)}-sectors")
    if f.measure == "kg":
        parts.append("tonnes")
    y1, m1 = f.month_from.split("-")
    y2, m2 = f.month_to.split("-")
    parts.append(y1 if (y1 == y2 and m1 == "01" and m2 == "12") else f"{f.month_from}_{f.month_to}")
    parts.append(f.lang)
    return "_".join(parts) + "." + ext.lstrip(".")


# ---------------------------------------------------------------- images (kaleido)

_render_lock = threading.Lock()
_server_browser: str | None = None


def _server():
    import kaleido

    return kaleido._global_server  # noqa: SLF001 — only to see whether its thread is still alive


def _ensure_server(browser: str) -> None:
    """Start kaleido's sync server once per process (one browser for every later image)."""
    global _server_browser
    import kaleido

    if _server_browser is not None and _server().is_running():
        thread = getattr(_server(), "_thread", None)
        if thread is None or thread.is_alive():
            return
        kaleido.stop_sync_server(silence_warnings=True)  # the browser died: start a new one
    # mathjax=False: the default loads MathJax from a CDN, which an offline machine waits on
    kaleido.start_sync_server(path=browser, mathjax=False, n=1, silence_warnings=True)
    _server_browser = browser


def stop_browser() -> None:
    """Close the shared browser (also done at interpreter exit by kaleido)."""
    global _server_browser
    import kaleido

    with _render_lock:
        kaleido.stop_sync_server(silence_warnings=True)
        _server_browser = None


def _render(fig: go.Figure, fmt: str, width: int, height: int) -> bytes:
    browser = find_browser()
    if browser is None:
        raise BrowserMissing()
    import kaleido

    spec = fig.to_dict()
    opts = {"format": fmt, "width": width, "height": height, "scale": 1}
    with _render_lock:
        _ensure_server(browser)
        result: queue.Queue = queue.Queue(maxsize=1)

        def call() -> None:
            try:
                result.put(kaleido.calc_fig_sync(spec, opts=opts))
            except BaseException as e:  # noqa: BLE001 — handed to the caller
                result.put(e)

        # kaleido's server waits forever if its browser thread has died; watch it from here
        threading.Thread(target=call, daemon=True, name="export-render").start()
        server_thread = getattr(_server(), "_thread", None)
        for _ in range(int(RENDER_TIMEOUT / 0.2)):
            try:
                got = result.get(timeout=0.2)
                break
            except queue.Empty:
                if server_thread is not None and not server_thread.is_alive():
                    _reset_server()
                    raise RenderError(f"the browser ({browser}) stopped while drawing a {fmt.upper()}") from None
        else:  # kaleido's own 90 s timeout should come first; a server stuck past it cannot be stopped cleanly
            raise RenderError(f"the browser ({browser}) took more than {RENDER_TIMEOUT} s for one {fmt.upper()}")
    if isinstance(got, BaseException):
        raise RenderError(f"{fmt.upper()} export failed: {got}") from got
    return got


def _reset_server() -> None:
    global _server_browser
    import kaleido

    _server_browser = None
    try:
        kaleido.stop_sync_server(silence_warnings=True)
    except Exception:  # noqa: BLE001 — a dead server may fail to stop cleanly; a new one is started next time
        pass


def to_png(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """PNG bytes of `fig` (stamp it first with `stamped`). Raises BrowserMissing without a browser."""
    return _render(fig, "png", width, height)


def to_svg(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """SVG bytes of `fig` (text stays text, in the figure's fonts)."""
    return _render(fig, "svg", width, height)


# ---------------------------------------------------------------- HTML, CSV, XLSX

_PAGE = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: {font}; margin: 1.5rem auto; max-width: 1400px; padding: 0 1rem; color: #222; }}
.sample {{ color: {red}; font-weight: 600; }}
.stamp {{ color: #444; font-size: 0.9rem; line-height: 1.5; margin: 0.2rem 0; }}
.plot {{ direction: ltr; }}
</style>
</head>
<body>
<div class="plot">
{plot}
</div>
{sample}
{footer}
</body>
</html>
"""


def to_html(fig: go.Figure, stamp: Stamp) -> bytes:
    """A standalone page that works offline (plotly.js inlined): the figure with the stamp's title and
    sample mark, and the stamp's lines as text under it; `<html lang dir>` set for the language."""
    from analysis.figures import FONT

    plot = stamped(fig, stamp, footer=False).to_html(
        full_html=False, include_plotlyjs=True, include_mathjax=False,
        config={"displaylogo": False, "responsive": True})
    esc = html.escape
    sample = f'<p class="sample">{esc(stamp.sample)}</p>' if stamp.sample else ""
    footer = "\n".join(f'<p class="stamp">{esc(line)}</p>' for line in stamp.footer())
    page = _PAGE.format(lang=stamp.lang, dir="rtl" if i18n.is_rtl(stamp.lang) else "ltr", title=esc(stamp.title),
                        font=esc(FONT, quote=False), red=SAMPLE_COLOR, sample=sample, plot=plot, footer=footer)
    return page.encode("utf-8")


def to_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens Persian and Russian text correctly."""
    return df.to_csv(index=False).encode("utf-8-sig")


def to_xlsx(df: pd.DataFrame, stamp: Stamp) -> bytes:
    """Sheet "data" with the table, sheet "about" with the stamp's lines (right-to-left in Persian)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name="data", index=False)
        pd.DataFrame({"about": stamp.lines()}).to_excel(writer, sheet_name="about", index=False, header=False)
        rtl = i18n.is_rtl(stamp.lang)
        for ws in writer.book.worksheets:
            ws.sheet_view.rightToLeft = rtl
        data = writer.sheets["data"]
        for i, col in enumerate(df.columns, start=1):
            longest = max([len(str(col)), *(len(str(v)) for v in df[col].head(200))])
            data.column_dimensions[data.cell(1, i).column_letter].width = min(60, max(10, longest + 2))
        writer.sheets["about"].column_dimensions["A"].width = 120
    return buf.getvalue()


def render(fig: go.Figure, stamp: Stamp, fmt: str, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """One export of a built chart figure: what a download button or the chart pack writes."""
    if fmt == "png":
        return to_png(stamped(fig, stamp, width=width), width, height)
    if fmt == "svg":
        return to_svg(stamped(fig, stamp, width=width), width, height)
    if fmt == "html":
        return to_html(fig, stamp)
    if fmt == "csv":
        return to_csv(figure_data(fig))
    if fmt == "xlsx":
        return to_xlsx(figure_data(fig), stamp)
    raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")

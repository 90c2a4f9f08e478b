"""The stamp every export carries, in the chart's language — title, the filters in words, sources,
the data's as-of date and version, the chart's note (how the estimate was made, or the mirror's τ)
and the synthetic-sample mark — and where it goes on a figure (`stamped`).

Persian lines are wrapped in a right-to-left isolate (U+2067 … U+2069): Plotly draws SVG text
left-to-right, which would put a Persian sentence that holds Latin words ("UN Comtrade", "τ") in
the wrong order.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from analysis import figures, i18n, queries
from analysis.charts import Chart, Fetch
from analysis.export.render import WIDTH
from analysis.filters import Filters
from analysis.i18n import join_list, t
from analysis.names import Names
from analysis.style import SAMPLE_COLOR

FOOTER_FONT = 12
FOOTER_LINE = 17  # px per footer line
CHAR_PX = 0.6  # average glyph width as a share of the font size, for wrapping (DejaVu/Noto are wide)
RLI, PDI = "\u2067", "\u2069"


@dataclass(frozen=True)
class Stamp:
    title: str
    filters: str
    sources: str
    as_of: str
    note: str  # how the estimate was made (methods, ψ sources, nowcast months), or the mirror's τ; "" for neither
    sample: str  # "" unless the warehouse holds synthetic sample data
    lang: str

    def footer(self) -> list[str]:
        """The lines under an image, in order; empty ones left out."""
        return [line for line in (self.filters, self.sources, self.note, self.as_of) if line]

    def lines(self) -> list[str]:
        """Every text of the stamp, title first (for XLSX's "about" sheet and captions)."""
        return [line for line in (self.title, self.sample, *self.footer()) if line]


def stamp_for(chart: Chart, fetch: Fetch, f: Filters, names: Names, meta: dict) -> Stamp:
    """The stamp of `chart` under filters `f`, all texts in f.lang. `fetch` runs the chart's note
    queries (how the estimate in view was made: its methods, ψ sources and nowcast months); `meta` is
    the warehouse's meta table (Warehouse.meta: version, built_at, is_sample)."""
    lang = f.lang
    tau = i18n.fmt_percent(queries.MIRROR_TAU, lang, decimals=0)
    sources = t("stamp.sources", lang, sources=join_list([t(f"source.{s}", lang) for s in chart.sources], lang))
    if chart.note == "tau":
        note = t("stamp.tau", lang, tau=tau)
    elif chart.note == "method":
        note = i18n.how_estimated(fetch(queries.methods), fetch(queries.psi_sources), fetch(queries.nowcast_from), lang)
        if chart.band:
            note += " " + t("note.bands", lang, level=figures.level_text(lang))
    else:
        note = ""
    sample = t("banner.sample", lang) if str(meta.get("is_sample")) == "True" else ""
    return Stamp(title=chart.title_text(lang), filters=filters_in_words(f, names, lang), sources=sources,
                 as_of=_as_of(meta, f.calendar, lang), note=note, sample=sample, lang=lang)


def filters_in_words(f, names: Names, lang: str) -> str:
    """"Provinces: Gilan, Mazandaran · Direction: … · Period: January 2024 – December 2024 · …"."""
    provinces = join_list([names.region(p, lang) for p in f.provinces], lang)
    sectors = (join_list([names.sector(s, lang) for s in f.sectors], lang) if f.sectors
               else t("filter.sectors_all", lang))
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
    filters, sources, note and as-of lines under the plot; right-aligned in Persian.

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

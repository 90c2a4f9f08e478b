"""The files of one export: names that say what is inside, standalone HTML that works offline,
CSV and XLSX of the plotted data, and `to_bytes`, which makes any of the five formats."""

from __future__ import annotations

import html
import io
import re
import unicodedata

import pandas as pd
import plotly.graph_objects as go

from analysis import i18n
from analysis.charts import Chart
from analysis.export.data import figure_data
from analysis.export.render import HEIGHT, WIDTH, to_png, to_svg
from analysis.export.stamp import Stamp, stamped
from analysis.filters import Filters
from analysis.names import Names
from analysis.style import FONT, SAMPLE_COLOR

FORMATS = ("png", "svg", "html", "csv", "xlsx")
MIME = {"png": "image/png", "svg": "image/svg+xml", "html": "text/html",
        "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def file_name(chart: Chart, f: Filters, names: Names, ext: str) -> str:
    """What is inside, in ASCII: `<provinces>-volgograd_<direction>_<chart>[_<sectors>][_tonnes]_<period>_
    <lang>.<ext>`, e.g. `mazandaran-volgograd_exports_by-sector_2024_fa.png`.

    Provinces by English name ("provinces" when every focus province is selected); direction exports
    / imports / trade; the sectors only when some are selected (up to three by key, else
    "<n>-sectors"); "tonnes" when the measure is weight; the period as one year (a whole year of its
    calendar: 2024 or 1403) or `<from>_<to>` months.
    """
    provinces = "provinces" if f.all_provinces_selected() else \
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


def to_bytes(fig: go.Figure, stamp: Stamp, fmt: str, *, width: int = WIDTH, height: int = HEIGHT) -> bytes:
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

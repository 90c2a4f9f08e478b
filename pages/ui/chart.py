"""One standard chart on a page, with its downloads (behind a "Files" button): PNG, SVG, offline HTML,
CSV and XLSX, each stamped with title, filters, sources, vintage and note, and made only when clicked."""

from __future__ import annotations

import functools

import plotly.graph_objects as go
import streamlit as st

from analysis import charts, export, figures
from pages.ui.frame import Context, guarded


def show(ctx: Context, key: str) -> None:
    """Draw the chart `key` of analysis.charts; a chart that fails is shown as a bug in its place."""
    chart = charts.BY_KEY[key]
    with guarded(ctx, chart.title_text(ctx.lang)):
        fig = _figure(ctx.wh.version, key, ctx.filters_key, ctx)
        st.plotly_chart(fig, key=key, config={"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]})
        stamp = export.stamp_for(chart, ctx.q, ctx.f, ctx.names, ctx.wh.meta)
        if chart.note == "method":  # how the estimate was made, as the stamp says it; once a page
            parts = [ctx.how_estimated()] + ([ctx.t("note.bands", level=figures.level_text(ctx.lang))]
                                             if chart.band else [])
            new = [p for p in parts if p not in ctx.notes_shown]
            if new:
                st.caption(" ".join(new))
                ctx.notes_shown.update(new)
        _downloads(ctx, chart, fig, stamp)


def _downloads(ctx: Context, chart: charts.Chart, fig: go.Figure, stamp) -> None:
    """The chart's files behind one button: a popover's content is drawn only when it is opened, and
    five buttons under every chart were a fifth of a warm page's time in the browser (bench/RESULTS.md)."""
    browser = _browser()
    with st.popover(ctx.t("export.download"), icon=":material/download:", type="tertiary"):
        for fmt in export.FORMATS:
            if fmt in export.IMAGE_FORMATS and browser is None:
                st.button(fmt.upper(), key=f"{chart.key}_{fmt}", disabled=True, type="tertiary",
                          help=export.BrowserMissing.message(ctx.lang))
                continue
            st.download_button(fmt.upper(), data=functools.partial(export.to_bytes, fig, stamp, fmt),
                               file_name=export.file_name(chart, ctx.f, ctx.names, fmt), mime=export.MIME[fmt],
                               key=f"{chart.key}_{fmt}", on_click="ignore", type="tertiary")


@st.cache_resource(max_entries=1000, show_spinner=False)
def _figure(version: str, key: str, filters_key: tuple, _ctx: Context) -> go.Figure:
    """Chart `key`'s figure for a warehouse version and filters, made once and shared (building a
    Plotly figure is most of a warm page's time on the server). Nothing changes it afterwards: the
    exports draw on a copy (analysis.export.stamped)."""
    return charts.BY_KEY[key].figure(_ctx.q, _ctx.f, _ctx.names)


@st.cache_resource(show_spinner=False)
def _browser() -> str | None:
    return export.render.find_browser()

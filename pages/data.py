"""Data: sources and coverage, where Volgograd's side is nowcast, load history, rejected rows, warnings,
conflicting inputs, downloads, how to refresh."""

import functools

import pandas as pd
import streamlit as st

from analysis import i18n, queries
from pages.ui import controls, frame
from pages.ui.chart import show

REFRESH_COMMANDS = ("python -m etl validate data/raw/*", "python -m etl refresh", "python -m etl status")


def render(ctx: frame.Context) -> None:
    lang = ctx.lang
    show(ctx, "data_coverage")
    st.caption(ctx.t("data.coverage_note"))
    _nowcast(ctx)
    st.subheader(ctx.t("data.load_history"))
    history = ctx.q(queries.load_history)
    st.dataframe(history.rename(columns=lambda c: ctx.t(f"column.{c}") if c != "source" else ctx.t("column.format")),
                 hide_index=True)
    st.subheader(ctx.t("data.rejected"))
    rejected = ctx.q(queries.rejected_rows)
    if rejected.empty:
        st.success(ctx.t("data.no_rejected"))
    else:
        # st.dataframe shows cell text as text, never as HTML: a name holding <script> stays inert
        st.dataframe(rejected.rename(columns=lambda c: ctx.t(f"column.{c}")), hide_index=True)
    st.subheader(ctx.t("data.warnings"))  # rows that loaded, apart from the rejected ones
    warned = ctx.q(queries.load_warnings)
    if warned.empty:
        st.success(ctx.t("data.no_warnings"))
    else:
        st.caption(ctx.t("data.warnings_note"))
        st.dataframe(warned.rename(columns=lambda c: ctx.t(f"column.{c}")), hide_index=True)
    _conflicts(ctx)
    st.subheader(ctx.t("data.downloads"))
    # the files are made when clicked, not on every run (the bilateral table is the warehouse's largest)
    st.download_button(ctx.t("data.download_bilateral"), functools.partial(_csv, ctx, queries.bilateral),
                       file_name=f"bilateral_estimate_{ctx.f.month_from}_{ctx.f.month_to}.csv", mime="text/csv",
                       on_click="ignore")
    st.download_button(ctx.t("data.download_coverage"), functools.partial(_csv, ctx, queries.coverage),
                       file_name=f"coverage_{ctx.f.month_from}_{ctx.f.month_to}.csv", mime="text/csv",
                       on_click="ignore")
    st.subheader(ctx.t("data.how_to_refresh"))
    st.markdown(ctx.t("data.refresh_steps"))
    # code spans, not st.code: its syntax highlighter is a 1.5 MB script for the browser to run
    st.markdown("  \n".join(controls.md_code(c) for c in REFRESH_COMMANDS))
    st.caption(ctx.t("data.rows_in_warehouse", rows=i18n.fmt_number(int(ctx.wh.meta.get("rows", 0)), lang)))


def _csv(ctx: frame.Context, query) -> bytes:
    return ctx.q(query).to_csv(index=False).encode("utf-8")


def _nowcast(ctx: frame.Context) -> None:
    """Where Volgograd's side is nowcast, from which month, and the estimate there with its likely range."""
    lang, cal = ctx.lang, ctx.f.calendar
    st.subheader(ctx.t("data.nowcast"))
    rows = ctx.q(queries.nowcast_cells)
    if rows.empty:
        st.info(ctx.t("data.no_nowcast"))
        return
    st.caption(ctx.t("data.nowcast_note"))

    def months(r) -> str:
        first = i18n.month_label(int(r.first_year), int(r.first_month_of_year), cal, lang, short=True)
        last = i18n.month_label(int(r.last_year), int(r.last_month_of_year), cal, lang, short=True)
        span = first if first == last else f"{first} – {last}"
        return f"{span} ({i18n.fmt_number(r.months, lang)})"

    def since(r) -> str:
        lo, hi = (i18n.fmt_number(v, lang) for v in (r.months_since_min, r.months_since_max))
        return lo if lo == hi else f"{lo}–{hi}"

    st.dataframe({
        ctx.t("column.province"): [ctx.names.region(p, lang) for p in rows["province"]],
        ctx.t("column.flow"): [ctx.t(f"flow.{f}") for f in rows["flow"]],
        ctx.t("column.sector"): [ctx.names.sector(s, lang) for s in rows["sector"]],
        ctx.t("column.months"): [months(r) for r in rows.itertuples()],
        ctx.t("column.nowcast_from"): [i18n.month_label(d.year, d.month, "gregorian", lang)
                                       for d in pd.to_datetime(rows["nowcast_from"])],
        ctx.t("column.months_since"): [since(r) for r in rows.itertuples()],
        ctx.t("column.estimate"): [i18n.fmt_compact(v, lang, ctx.f.measure) for v in rows["value"]],
        ctx.t("column.likely"): [ctx.span(lo, hi) for lo, hi in zip(rows["p10"], rows["p90"], strict=True)],
        ctx.t("column.possible"): [ctx.span(lo, up) for lo, up in zip(rows["lower"], rows["upper"], strict=True)],
        ctx.t("column.nowcast_cells"): [f"{i18n.fmt_number(n, lang)} / {i18n.fmt_number(c, lang)}"
                                        for n, c in zip(rows["nowcast_cells"], rows["cells"], strict=True)],
    }, hide_index=True)


def _conflicts(ctx: frame.Context) -> None:
    """Input figures that contradict others, kept as given: kind, file, row and the numbers."""
    lang = ctx.lang
    st.subheader(ctx.t("data.conflicts"))  # apart from rejected rows (not loaded) and warnings (loaded, flagged)
    rows = ctx.q(queries.conflicts)
    every_product = ctx.t("chart.all_products")  # a published total names no product
    if rows.empty:
        st.success(ctx.t("data.no_conflicts"))
        return
    st.caption(ctx.t("data.conflicts_note"))
    st.dataframe({  # the numbers in full: a conflict is often a few dollars either way
        ctx.t("column.kind"): [ctx.t(f"conflict.{k}") for k in rows["kind"]],
        ctx.t("column.file"): rows["file"],
        ctx.t("column.row"): [i18n.fmt_number(r, lang) for r in rows["row"]],
        ctx.t("column.figure"): [i18n.fmt_number(v, lang) for v in rows["figure_usd"]],
        ctx.t("column.limit"): [i18n.fmt_number(v, lang) for v in rows["limit_usd"]],
        ctx.t("column.period"): [i18n.to_local_digits(p or "", lang) for p in rows["period"]],
        ctx.t("column.flow"): [ctx.t(f"flow.{f}") for f in rows["flow"]],
        ctx.t("column.province"): [ctx.names.region(p, lang) if isinstance(p, str) else "—" for p in rows["province"]],
        ctx.t("column.product"): [ctx.names.product_label(h, lang) if isinstance(h, str) else every_product
                                  for h in rows["hs6"]],
    }, hide_index=True)


if __name__ == "__main__":
    frame.run("data", render)

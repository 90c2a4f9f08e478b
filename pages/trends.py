"""Trends: monthly and annual series with bounds, YoY, 12-month moving sum, seasonality, published figures."""

from urllib.parse import quote, urlsplit

import streamlit as st

from analysis import i18n, queries
from pages.ui import frame
from pages.ui.chart import show


def render(ctx: frame.Context) -> None:
    lang = ctx.lang
    show(ctx, "trends_monthly")
    left, right = st.columns(2)
    with left:
        show(ctx, "trends_annual")
    with right:
        show(ctx, "trends_moving_sum")
    left, right = st.columns(2)
    with left:
        show(ctx, "trends_seasonality")
    with right:
        show(ctx, "trends_reported")
    st.subheader(ctx.t("trends.published"))
    published = ctx.q(queries.published_vs_data)
    # st.table, not st.dataframe: a dozen rows, and the grid is the page's heaviest script after Plotly
    st.table({
        ctx.t("column.published"): [i18n.to_local_digits(p or "", lang) for p in published["published"]],
        ctx.t("column.reporter"): [ctx.names.region_or_country(c, lang) for c in published["reporter_code"]],
        ctx.t("column.partner"): [ctx.names.region_or_country(c, lang) for c in published["partner_code"]],
        ctx.t("column.period"): [ctx.t("published_period.annual") if p == "annual" else
                                 i18n.to_local_digits(p or "", lang) for p in published["period"]],
        ctx.t("column.flow"): [ctx.t(f"published_flow.{f}") for f in published["flow"]],
        ctx.t("column.published_value"): [i18n.fmt_compact(v, lang, "usd") if v == v else
                                          i18n.fmt_compact(kg, lang, "kg")
                                          for v, kg in zip(published["published_usd"], published["published_kg"],
                                                           strict=True)],
        ctx.t("column.data_value"): [i18n.fmt_compact(v, lang, "usd") for v in published["data_usd"]],
        ctx.t("column.status"): [ctx.t(f"published_status.{s.replace(' ', '_')}") for s in published["status"]],
        ctx.t("column.source"): [_link(u) for u in published["url"]],
    }, hide_index=True)
    if ctx.wh.is_sample:
        st.caption(ctx.t("trends.published_sample_note"))


def _link(url) -> str:
    """A source's address as a Markdown link named by its host (st.table cells are Markdown)."""
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return ""
    safe = "".join(c if c.isascii() and c.isprintable() and c not in " <>" else quote(c) for c in url)
    return f"[{urlsplit(url).hostname or 'link'}](<{safe}>)"


if __name__ == "__main__":
    frame.run("trends", render)

"""Sectors: HS section → chapter → heading, the sectors, top products with unit values, shares over time."""

import streamlit as st

from analysis import i18n, queries
from pages.ui import frame
from pages.ui.chart import show


def render(ctx: frame.Context) -> None:
    lang, measure = ctx.lang, ctx.f.measure
    show(ctx, "sectors_treemap")
    left, right = st.columns(2)
    with left:
        show(ctx, "sectors_bars")
    with right:
        show(ctx, "sectors_shares")
    st.subheader(ctx.t("sectors.top_products"))
    top = ctx.q(queries.top_products)
    if top.empty:
        st.info(ctx.t("empty.no_data"))
        return
    st.table({
        ctx.t("column.code"): [i18n.to_local_digits(c, lang) for c in top["code"]],
        ctx.t("column.product"): [ctx.names.product(c, lang) for c in top["code"]],
        ctx.t("column.sector"): [ctx.names.sector(s, lang) for s in top["sector"]],
        ctx.t("column.estimate"): [i18n.fmt_compact(v, lang, measure) for v in top["value"]],
        ctx.t("column.likely"): [ctx.span(lo, hi) for lo, hi in zip(top["p10"], top["p90"], strict=True)],
        ctx.t("column.possible"): [ctx.span(lo, up) for lo, up in zip(top["lower"], top["upper"], strict=True)],
        ctx.t("column.usd_per_tonne"): [i18n.fmt_number(v, lang) for v in top["usd_per_tonne"]],
    }, hide_index=True)
    st.caption(ctx.t("sectors.unit_value_note"))


if __name__ == "__main__":
    frame.run("sectors", render)

"""Overview: turnover, exports, imports, balance and YoY; by province; trend; target; what changed."""

import streamlit as st

from analysis import figures, i18n, queries
from pages.ui import frame
from pages.ui.chart import show


def render(ctx: frame.Context) -> None:
    lang, measure = ctx.lang, ctx.f.measure
    kpis = ctx.q(queries.kpis).set_index("metric")
    how = ctx.how_estimated()
    level = i18n.fmt_percent(figures.LIKELY_LEVEL, lang, decimals=0)
    st.caption(ctx.t("provenance.estimate"))
    cols = st.columns(4)
    for col, metric in zip(cols, ("turnover", "exports", "imports", "balance"), strict=True):
        row = kpis.loc[metric]
        delta = None if metric == "balance" else i18n.fmt_percent(row["yoy"], lang, signed=True)
        likely, possible = ctx.likely(row["p10"], row["p90"]), ctx.possible(row["lower"], row["upper"])
        # the estimate, then the range users read (80 %), then — smaller — all the data allow
        col.metric(ctx.t(f"metric.{metric}"), i18n.fmt_compact(row["value"], lang, measure), delta=delta,
                   help=ctx.t("metric.help", how=how, likely=likely, possible=possible, level=level))
        if delta is not None:
            col.caption(ctx.t("metric.yoy"))
        col.markdown(likely)
        col.caption(possible)
    reported = kpis.loc["turnover"]
    # a side silent in every selected month (FCS after 2022-01) is said to be silent, not shown as $0
    key = "overview.reported" if reported["partner_months"] else "overview.reported_partner_silent"
    months = {k: i18n.fmt_number(reported[k], lang) for k in ("months", "province_months", "partner_months")}
    st.caption(ctx.t(key, provinces=i18n.fmt_compact(reported["reported_provinces"], lang, measure),
                     volgograd=i18n.fmt_compact(reported["reported_partner"], lang, measure), **months))
    if reported["cells"] and reported["no_estimate_cells"]:
        st.info(ctx.t("overview.one_side", share=i18n.fmt_percent(reported["no_estimate_cells"] / reported["cells"],
                                                                   lang)))

    left, right = st.columns(2)
    with left:
        show(ctx, "overview_by_province")
    with right:
        show(ctx, "overview_trend")
    left, right = st.columns(2)
    with left:
        show(ctx, "overview_targets")
    with right:
        st.subheader(ctx.t("overview.changes"))
        changes = ctx.q(queries.changes)
        if changes.empty:
            st.info(ctx.t("empty.no_data"))
        else:
            st.table(
                {ctx.t("column.product"): [ctx.names.product_label(c, lang) for c in changes["code"]],
                 ctx.t("column.now"): [i18n.fmt_compact(v, lang, measure) for v in changes["value"]],
                 ctx.t("column.year_earlier"): [i18n.fmt_compact(v, lang, measure) for v in changes["value_previous"]],
                 ctx.t("column.change"): [i18n.fmt_compact(v, lang, measure, signed=True) for v in changes["change"]]},
                hide_index=True)


if __name__ == "__main__":
    frame.run("overview", render)

"""Overview: turnover, exports, imports, balance and YoY; by province; trend; target; what changed."""

import streamlit as st

from analysis import i18n
from pages.ui import shell


def render(ctx: shell.Context) -> None:
    lang, measure = ctx.lang, ctx.f.measure
    kpis = ctx.q("kpis").set_index("metric")
    st.caption(ctx.t("provenance.estimate"))
    cols = st.columns(4)
    for col, metric in zip(cols, ("turnover", "exports", "imports", "balance"), strict=True):
        row = kpis.loc[metric]
        delta = None if metric == "balance" else i18n.fmt_percent(row["yoy"], lang, signed=True)
        col.metric(ctx.t(f"metric.{metric}"), i18n.fmt_compact(row["value"], lang, measure), delta=delta,
                   help=ctx.t("metric.help", method=ctx.t("method.proportional"),
                              bounds=shell.metric_bounds(ctx, row["lower"], row["upper"])))
        col.caption(shell.metric_bounds(ctx, row["lower"], row["upper"]))
        if delta is not None:
            col.caption(ctx.t("metric.yoy"))
    reported = kpis.loc["turnover"]
    st.caption(ctx.t("overview.reported", provinces=i18n.fmt_compact(reported["reported_provinces_russia"], lang,
                                                                      measure),
                     volgograd=i18n.fmt_compact(reported["reported_volgograd_iran"], lang, measure)))
    if kpis["cells"].iloc[0] and kpis["one_side_cells"].iloc[0]:
        st.info(ctx.t("overview.one_side", share=i18n.fmt_percent(
            kpis["one_side_cells"].iloc[0] / kpis["cells"].iloc[0], lang)))

    left, right = st.columns(2)
    with left:
        shell.show(ctx, "overview_by_province")
    with right:
        shell.show(ctx, "overview_trend")
    left, right = st.columns(2)
    with left:
        shell.show(ctx, "overview_targets")
    with right:
        st.subheader(ctx.t("overview.changes"))
        changes = ctx.q("changes")
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
    shell.run("overview", render)

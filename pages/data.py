"""Data: sources and coverage, load history, rejected rows, warnings, published vs data, downloads, how to refresh."""

import streamlit as st

from analysis import i18n, queries
from pages.ui import frame
from pages.ui.chart import show


def render(ctx: frame.Context) -> None:
    lang = ctx.lang
    show(ctx, "data_coverage")
    st.caption(ctx.t("data.coverage_note"))
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
    st.subheader(ctx.t("data.downloads"))
    bilateral = ctx.q(queries.bilateral)
    st.download_button(ctx.t("data.download_bilateral"), bilateral.to_csv(index=False).encode("utf-8"),
                       file_name=f"bilateral_estimate_{ctx.f.month_from}_{ctx.f.month_to}.csv", mime="text/csv")
    st.download_button(ctx.t("data.download_coverage"), ctx.q(queries.coverage).to_csv(index=False).encode("utf-8"),
                       file_name=f"coverage_{ctx.f.month_from}_{ctx.f.month_to}.csv", mime="text/csv")
    st.subheader(ctx.t("data.how_to_refresh"))
    st.markdown(ctx.t("data.refresh_steps"))
    st.code("python -m etl validate data/raw/*\npython -m etl refresh\npython -m etl status", language="bash")
    st.caption(ctx.t("data.rows_in_warehouse", rows=i18n.fmt_number(int(ctx.wh.meta.get("rows", 0)), lang)))


if __name__ == "__main__":
    frame.run("data", render)

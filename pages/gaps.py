"""Gaps: untapped potential, complementarity, comparative advantage (RCA), balance, mirror discrepancies
(τ shown), targets."""

import streamlit as st

from analysis import i18n, queries
from pages.ui import frame
from pages.ui.chart import show


def render(ctx: frame.Context) -> None:
    lang = ctx.lang
    st.subheader(ctx.t("gaps.potential"))
    st.caption(ctx.t("gaps.potential_method"))
    show(ctx, "gaps_potential")
    show(ctx, "gaps_complementarity")
    st.caption(ctx.t("gaps.complementarity_method"))
    show(ctx, "gaps_rca")
    st.caption(ctx.t("gaps.rca_method"))
    show(ctx, "gaps_balance")
    show(ctx, "gaps_mirror")
    st.caption(ctx.t("gaps.mirror_method", tau=i18n.fmt_percent(queries.MIRROR_TAU, lang, decimals=0),
                     threshold=i18n.fmt_percent(queries.MIRROR_THRESHOLD, lang, decimals=0)))
    targets = ctx.q(queries.targets)
    show(ctx, "gaps_targets")
    complete = targets[targets["complete_year"]]
    if not complete.empty:
        last = complete.sort_values("year").iloc[-1]
        st.caption(ctx.t("gaps.target_growth", year=i18n.year_label(int(last["year"]), lang),
                         share=i18n.fmt_percent(last["share_of_target"], lang),
                         growth=i18n.fmt_percent(last["growth_needed"], lang),
                         years=i18n.fmt_number(last["horizon_years"], lang)))


if __name__ == "__main__":
    frame.run("gaps", render)

"""Routes: transport mode and customs office over time; the map of ports, the rail crossing and the Volga."""

import streamlit as st

from pages.ui import frame
from pages.ui.chart import show


def render(ctx: frame.Context) -> None:
    st.caption(ctx.t("routes.note"))
    show(ctx, "routes_map")
    left, right = st.columns(2)
    with left:
        show(ctx, "routes_modes")
    with right:
        show(ctx, "routes_offices")


if __name__ == "__main__":
    frame.run("routes", render)

"""Routes: transport mode and customs office over time; the map of ports, the rail crossing and the Volga."""

import streamlit as st

from pages.ui import shell


def render(ctx: shell.Context) -> None:
    st.caption(ctx.t("routes.note"))
    shell.show(ctx, "routes_map")
    left, right = st.columns(2)
    with left:
        shell.show(ctx, "routes_modes")
    with right:
        shell.show(ctx, "routes_offices")


if __name__ == "__main__":
    shell.run("routes", render)

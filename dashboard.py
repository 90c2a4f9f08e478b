"""Caspian Trade Monitor — entry point. A small real overview until the full pages land."""

from __future__ import annotations

import plotly.express as px
import streamlit as st

from analysis import db, queries
from analysis.filters import Allowed, Filters

st.set_page_config(page_title="Caspian Trade Monitor", page_icon="🌊", layout="wide")

REGION_NAMES = {"provinces": "Three provinces (with Russia)", "RU-VGG": "Volgograd oblast (with Iran)"}


@st.cache_data(show_spinner=False)
def load_overview(version: str, _wh: db.Warehouse):
    f, _ = Filters.from_query({"from": "2019-01"}, Allowed.from_warehouse(_wh))
    df = queries.reported_trend(_wh, f)
    df = df.groupby(["year", "source", "flow"], as_index=False)["value_usd"].sum()
    df["reporter_region"] = df["source"].map({"iran_customs": "provinces", "russia_customs": "RU-VGG"})
    return df


st.title("Caspian Trade Monitor")
st.caption("Trade between Gilan, Mazandaran, Golestan and Volgograd oblast")
try:
    wh = db.current()
except db.WarehouseMissing:
    st.error("No warehouse yet. Build it with `python -m etl refresh --sample` (demonstration data) "
             "or drop customs files into data/raw/ and run `python -m etl refresh`.")
    st.stop()

if wh.is_sample:
    st.warning("**Synthetic sample data** — generated for demonstration; these are not real trade figures.")
st.caption(f"Data as of {wh.meta.get('built_at', '?')} · warehouse version {wh.version}")

df = load_overview(wh.version, wh)
if df.empty:
    st.info("The warehouse holds no flows between the three provinces and Russia, or Volgograd and Iran.")
    st.stop()
df["reporter"] = df["reporter_region"].map(REGION_NAMES).fillna(df["reporter_region"])
df["series"] = df["reporter"] + ": provinces' " + df["flow"] + "s"
last = int(df["year"].max())
cols = st.columns(4)
for col, (label, source, flow) in zip(cols, [
    ("Provinces' exports to Russia", "iran_customs", "export"),
    ("Provinces' imports from Russia", "iran_customs", "import"),
    ("Volgograd's imports from Iran", "russia_customs", "export"),
    ("Volgograd's exports to Iran", "russia_customs", "import"),
], strict=True):
    value = df[(df.year == last) & (df.source == source) & (df.flow == flow)]["value_usd"].sum()
    col.metric(f"{label}, {last}", f"${value / 1e6:,.1f}M", help=f"As reported by {source.replace('_', ' ')}")

fig = px.line(df, x="year", y="value_usd", color="series", markers=True,
              labels={"value_usd": "US dollars", "year": "Year", "series": "Reported flow"},
              title="Reported trade by year (each side's own customs)")
st.plotly_chart(fig, width="stretch")
st.caption("Sources: Iranian customs (provinces ↔ Russia) and Russian customs (Volgograd ↔ Iran). "
           "Years with missing months (e.g. 2022 in Russian data) are incomplete.")

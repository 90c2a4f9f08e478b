"""The routes map: Caspian ports, the Volga and the Incheh Borun rail corridor, drawn with no network.

Plotly's geo traces fetch topojson from a CDN, and its MapLibre maps fetch fonts for labels and will
not start from a saved HTML file, so the map is plain shapes on Cartesian axes: the countries
(data/reference/geo/caspian_countries.geojson, Natural Earth) as filled outlines over a water-coloured
background, in longitude/latitude with the latitude stretched by 1/cos(45°) — close to how a
conformal map of the region looks. It draws the same in the browser, in a saved HTML file and in
kaleido's PNG/SVG, and place names can be written on it.

Route lines are schematic: a few waypoints per route (ROUTES), not surveyed tracks.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from analysis import i18n
from analysis.i18n import t
from analysis.style import FONT, MODE_COLORS
from etl.paths import REFERENCE

GEOJSON_PATH = REFERENCE / "geo" / "caspian_countries.geojson"
ATTRIBUTION = "GeoNames (CC BY 4.0), Natural Earth"

# The clipping box of the GeoJSON, and the part of it shown (inside it, so the cut edges never show)
BOUNDS = {"west": 32.0, "east": 68.0, "south": 33.0, "north": 53.0}
VIEW = {"west": 38.5, "east": 61.5, "south": 35.0, "north": 51.5}
LAT_STRETCH = 1 / math.cos(math.radians(45))  # a degree of latitude drawn this many times a degree of longitude

MODES = ("sea", "inland_water", "rail", "road")
MIN_WIDTH, MAX_WIDTH = 1.5, 10.0  # px, for the smallest and the largest flow on the map

LAND_COLOR, BORDER_COLOR, WATER_COLOR, PLACE_COLOR = "#ececec", "#a6a6a6", "#dce8f3", "#333333"

Waypoint = str | tuple[float, float]  # a place key from places.csv, or (lon, lat)

# Waypoints between the places are approximate (schematic): sea lanes kept off the coast, the Volga by
# its riverside towns, the rail and road corridors by their junctions.
_VOLGA_SOUTH = [(44.55, 48.50), (44.78, 48.47), (46.11, 48.06), (47.25, 47.25), (47.85, 46.69)]  # → Astrakhan
_DELTA_CHANNEL = [(48.0, 45.0), (47.75, 45.55), (47.8, 46.0)]  # Volga–Caspian channel, sea → Astrakhan
ROUTES: dict[str, dict] = {
    "anzali_astrakhan": {
        "mode": "sea",
        "path": ["bandar_anzali", (49.8, 38.3), (50.9, 40.0), (50.6, 41.6), (49.2, 43.4), *_DELTA_CHANNEL, "astrakhan"],
    },
    "amirabad_makhachkala": {
        "mode": "sea",
        "path": ["amirabad", (53.3, 37.2), (52.4, 38.8), (51.2, 40.2), (50.4, 41.6), (48.4, 42.8), "makhachkala"],
    },
    "nowshahr_olya": {
        "mode": "sea",
        "path": ["nowshahr", (51.6, 37.4), (51.3, 38.9), (51.1, 40.4), (50.3, 42.2), (49.0, 43.9), (48.0, 45.0),
                 (47.75, 45.55), "olya"],
    },
    "fereydunkenar_astrakhan": {
        "mode": "sea",
        "path": ["fereydunkenar", (52.4, 37.4), (51.9, 38.9), (51.4, 40.3), (50.6, 42.0), (49.2, 43.6), *_DELTA_CHANNEL,
                 "astrakhan"],
    },
    "bandar_torkaman_astrakhan": {
        "mode": "sea",
        "path": ["bandar_torkaman", (53.7, 37.5), (52.9, 39.0), (51.8, 40.4), (50.9, 42.1), (49.5, 43.8),
                 *_DELTA_CHANNEL, "astrakhan"],
    },
    # river–sea vessels: across the Caspian, then up the Volga
    "amirabad_volgograd": {
        "mode": "inland_water",
        "path": ["amirabad", (53.3, 37.2), (52.6, 38.8), (51.5, 40.3), (50.8, 42.2), (49.4, 43.9), *_DELTA_CHANNEL,
                 "astrakhan", *reversed(_VOLGA_SOUTH), "volgograd"],
    },
    "volgograd_astrakhan": {"mode": "inland_water", "path": ["volgograd", *_VOLGA_SOUTH, "astrakhan"]},
    "kamyshin_astrakhan": {
        "mode": "inland_water",
        "path": ["kamyshin", (45.05, 49.55), (44.83, 49.06), (44.72, 48.81), "volgograd", *_VOLGA_SOUTH, "astrakhan"],
    },
    # Kazakhstan–Turkmenistan–Iran railway, then Kazakhstan's Caspian lines into Russia
    "incheh_borun_volgograd": {
        "mode": "rail",
        "path": ["incheh_borun", (55.52, 39.24), (55.2, 41.3), (52.86, 43.34), (55.2, 45.32), (53.32, 47.65),
                 (51.88, 47.12), (49.25, 46.6), "astrakhan", (47.25, 47.41), (46.72, 48.22), (44.78, 48.79),
                 "volgograd"],
    },
    # western corridor by road: Azerbaijan, Dagestan, Astrakhan
    "astara_volgograd": {
        "mode": "road",
        "path": ["astara_az", (49.87, 40.41), (48.29, 42.06), "makhachkala", (46.71, 43.85), (46.56, 44.39),
                 (47.23, 45.78), "astrakhan", (47.25, 47.25), (46.11, 48.06), "volgograd"],
    },
}

# The route drawn for each Iranian customs office (data/reference/customs_offices.csv). Iranian customs do not
# record the Russian port, so the far end is assumed; inland offices (rasht, sari, gorgan) have no route.
OFFICE_ROUTES = {
    "anzali": "anzali_astrakhan",
    "caspian": "anzali_astrakhan",
    "amirabad": "amirabad_makhachkala",
    "nowshahr": "nowshahr_olya",
    "fereydunkenar": "fereydunkenar_astrakhan",
    "bandar_torkaman": "bandar_torkaman_astrakhan",
    "incheh_borun": "incheh_borun_volgograd",
    "astara": "astara_volgograd",
}

@cache
def caspian_countries() -> dict:
    """The country polygons around the Caspian (GeoJSON FeatureCollection), read once."""
    return json.loads(Path(GEOJSON_PATH).read_text(encoding="utf-8"))


def routes_map(places: pd.DataFrame, routes: pd.DataFrame, *, lang: str, measure: str = "usd") -> go.Figure:
    """Places and route lines on the country outlines; line width grows with the route's `value`
    (USD or, with measure="kg", kg). Texts in `lang` (analysis/locales, keys `map.*`).

    `places`: key, kind, lat, lon, name_en, name_fa, name_ru (data/reference/places.csv).
    `routes`: route (a key of ROUTES unless a `path` is given), value, optional mode (else the route's
    default) and optional path (a list of place keys or (lon, lat) pairs). Rows of one route and mode are
    summed; rows with no route and routes with no positive value are not drawn. routes_by_office turns the
    routes query (by customs office) into this frame.
    """
    rtl = i18n.is_rtl(lang)  # refuses an unknown language
    names = _place_names(places, lang)
    coords = {row.key: (float(row.lon), float(row.lat)) for row in places.itertuples()}

    fig = go.Figure()
    fig.add_trace(_land_trace())
    flows = _route_flows(routes)
    vmax = flows["value"].max() if len(flows) else 0.0
    shown_modes: set[str] = set()
    for row in flows.itertuples():
        path = _resolve(row.path, coords, row.route)
        lon, lat = zip(*_densify(path), strict=True)
        endpoints = [names.get(p, "") for p in (row.path[0], row.path[-1]) if isinstance(p, str)]
        title = " → ".join(endpoints) if len(endpoints) == 2 else row.route
        mode_label = i18n.label("map", f"mode_{row.mode}", lang)
        hover = (f"<b>{title}</b><br>{mode_label}<br>{t('map.route_value', lang)}: "
                 f"{i18n.fmt_compact(row.value, lang, measure)}")
        fig.add_trace(go.Scatter(
            x=lon, y=lat, mode="lines",
            line={"width": route_width(row.value, vmax), "color": MODE_COLORS.get(row.mode, "#7f7f7f")},
            name=mode_label, legendgroup=row.mode, showlegend=row.mode not in shown_modes,
            hovertext=[hover] * len(lon), hoverinfo="text", meta={"route": row.route, "mode": row.mode},
        ))
        shown_modes.add(row.mode)

    kinds = [i18n.label("map", f"kind_{k}", lang) for k in places["kind"]]
    fig.add_trace(go.Scatter(
        x=places["lon"], y=places["lat"], mode="markers+text",
        marker={"size": 8, "color": PLACE_COLOR},
        text=[names[k] for k in places["key"]], textposition="top center", textfont={"size": 10},
        customdata=places["key"],
        hovertext=[f"<b>{names[k]}</b><br>{kind}" for k, kind in zip(places["key"], kinds, strict=True)],
        hoverinfo="text", name=t("map.places", lang), meta={"role": "places"},
    ))

    fig.update_layout(
        title={"text": t("chart.routes_map", lang), "x": 0.99 if rtl else 0.01, "xanchor": "right" if rtl else "left"},
        font={"family": FONT}, height=620, margin={"l": 0, "r": 0, "t": 50, "b": 0},
        plot_bgcolor=WATER_COLOR, paper_bgcolor="white",
        xaxis={"range": [VIEW["west"], VIEW["east"]], "visible": False, "fixedrange": False},
        yaxis={"range": [VIEW["south"], VIEW["north"]], "visible": False, "scaleanchor": "x",
               "scaleratio": LAT_STRETCH},
        legend={"x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.85)"},
        annotations=[{
            "text": ATTRIBUTION, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.995, "y": 0.005,
            "xanchor": "right", "yanchor": "bottom", "font": {"size": 10, "color": "#555555"},
            "bgcolor": "rgba(255,255,255,0.8)",
        }],
    )
    return fig


def _land_trace() -> go.Scatter:
    """Every country outline as one filled trace (rings separated by gaps)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for feature in caspian_countries()["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]  # outer ring; the simplified outlines have no holes worth drawing
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=LAND_COLOR,
                      line={"color": BORDER_COLOR, "width": 0.6}, hoverinfo="skip", showlegend=False,
                      meta={"role": "land"})


def routes_by_office(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows of the routes query (customs_office, transport_mode, value) → the `routes` frame of routes_map.

    One row per route and mode; offices without a route (inland customs) come back with a missing route.
    """
    df = rows.assign(route=rows["customs_office"].map(OFFICE_ROUTES)).rename(columns={"transport_mode": "mode"})
    return df.groupby(["route", "mode"], as_index=False, dropna=False, sort=False)["value"].sum(min_count=1)


def route_width(value: float, vmax: float) -> float:
    """Line width in px, linear in value from MIN_WIDTH (no flow) to MAX_WIDTH (the largest flow)."""
    if not vmax or vmax <= 0:
        return MIN_WIDTH
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * value / vmax


def _place_names(places: pd.DataFrame, lang: str) -> dict[str, str]:
    column = f"name_{lang}"
    local = places[column] if column in places else places["name_en"]
    return dict(zip(places["key"], local.where(local.notna() & (local != ""), places["name_en"]), strict=True))


def _route_flows(routes: pd.DataFrame) -> pd.DataFrame:
    """One row per route and mode with its summed value and its path; unknown routes are an error."""
    df = routes[routes["route"].notna()].copy()
    unknown = sorted(set(df["route"]) - set(ROUTES)) if "path" not in df else []
    if unknown:
        raise ValueError(f"no geometry for routes {unknown}; known: {sorted(ROUTES)} (or pass a path column)")
    if "mode" not in df:
        df["mode"] = df["route"].map(lambda r: ROUTES[r]["mode"])
    df["mode"] = df["mode"].fillna(df["route"].map(lambda r: ROUTES.get(r, {}).get("mode")))
    paths = {r: ROUTES[r]["path"] for r in df["route"] if r in ROUTES}
    if "path" in df:
        for route, path in zip(df["route"], df["path"], strict=True):
            if isinstance(path, list | tuple) and len(path) >= 2:
                paths[route] = list(path)
        missing = sorted(set(df["route"]) - set(paths))
        if missing:
            raise ValueError(f"no geometry for routes {missing}")
    df["value"] = pd.to_numeric(df["value"], errors="coerce")
    flows = df.groupby(["route", "mode"], as_index=False, sort=False)["value"].sum(min_count=1)
    flows = flows[flows["value"] > 0]
    order = {m: i for i, m in enumerate(MODES)}
    flows = flows.sort_values(["mode", "value"], key=lambda s: s.map(order) if s.name == "mode" else -s)
    return flows.assign(path=flows["route"].map(paths))


def _resolve(path: list[Waypoint], coords: dict[str, tuple[float, float]], route: str) -> list[tuple[float, float]]:
    points = []
    for p in path:
        if isinstance(p, str):
            if p not in coords:
                raise ValueError(f"route {route!r} passes through place {p!r}, which is not in places")
            points.append(coords[p])
        else:
            lon, lat = p
            points.append((float(lon), float(lat)))
    return points


def _densify(points: list[tuple[float, float]], step: float = 0.4) -> list[tuple[float, float]]:
    """Extra vertices every `step` degrees: map hover works on vertices, so this makes the whole line hoverable."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        n = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
        out += [(round(x0 + (x1 - x0) * i / n, 4), round(y0 + (y1 - y0) * i / n, 4)) for i in range(1, n)]
        out.append((x1, y1))
    return out

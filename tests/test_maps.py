"""The routes map: traces per mode, place names per language, widths by flow, no URL, offline drawing."""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from analysis import maps
from analysis.i18n import fmt_compact, t
from analysis.names import Names
from etl.paths import REFERENCE

CASPIAN_NEIGHBOURS = {"IR", "RU", "AZ", "KZ", "TM", "GE", "AM", "UZ", "TR", "IQ"}


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "places.csv")


@pytest.fixture(scope="module")
def routes() -> pd.DataFrame:
    return pd.DataFrame({
        "route": ["anzali_astrakhan", "nowshahr_olya", "volgograd_astrakhan", "incheh_borun_volgograd",
                  "astara_volgograd"],
        "mode": ["sea", "sea", "inland_water", "rail", "road"],
        "value": [100.0, 25.0, 50.0, 75.0, 10.0],
    })


def route_traces(fig):
    return [tr for tr in fig.data if tr.meta and "route" in tr.meta]


def places_trace(fig):
    (trace,) = [tr for tr in fig.data if tr.meta and tr.meta.get("role") == "places"]
    return trace


def test_a_trace_per_route_and_a_legend_entry_per_mode(places, routes):
    fig = maps.routes_map(places, routes, lang="en")
    traces = route_traces(fig)
    assert sorted(tr.meta["route"] for tr in traces) == sorted(routes["route"])
    assert all(tr.type == "scatter" and tr.mode == "lines" for tr in traces)
    legend = [tr.legendgroup for tr in traces if tr.showlegend]
    assert sorted(legend) == sorted({"sea", "inland_water", "rail", "road"})
    assert {tr.line.color for tr in traces if tr.meta["mode"] == "sea"} == {maps.MODE_COLORS["sea"]}


def test_markers_for_every_place(places, routes):
    trace = places_trace(maps.routes_map(places, routes, lang="en"))
    assert trace.mode == "markers+text"
    assert list(trace.customdata) == list(places["key"])
    assert list(trace.x) == list(places["lon"]) and list(trace.y) == list(places["lat"])


@pytest.mark.parametrize("lang", ["en", "fa", "ru"])
def test_place_names_in_the_chosen_language(places, routes, lang):
    trace = places_trace(maps.routes_map(places, routes, lang=lang))
    assert list(trace.text) == list(places[f"name_{lang}"])
    assert all(name in hover for name, hover in zip(trace.text, trace.hovertext, strict=True))


def test_route_hover_in_the_language_with_local_names_and_numbers(places, routes):
    fig = maps.routes_map(places, routes, lang="ru")
    (sea,) = [tr for tr in route_traces(fig) if tr.meta["route"] == "anzali_astrakhan"]
    assert sea.name == t("map.mode_sea", "ru")
    assert sea.hovertext[0] == (f"<b>Бендер-Энзели → Астрахань</b><br>{t('map.mode_sea', 'ru')}<br>"
                                f"{t('map.route_value', 'ru')}: {fmt_compact(100, 'ru')}")
    tonnes = maps.routes_map(places, routes, lang="en", measure="kg")
    (sea,) = [tr for tr in route_traces(tonnes) if tr.meta["route"] == "anzali_astrakhan"]
    assert sea.hovertext[0].endswith(fmt_compact(100, "en", "kg"))
    fa = maps.routes_map(places, routes, lang="fa")
    (sea,) = [tr for tr in route_traces(fa) if tr.meta["route"] == "anzali_astrakhan"]
    assert "بندر انزلی → آستاراخان" in sea.hovertext[0] and "۱۰۰" in sea.hovertext[0]
    assert fa.layout.title.text == t("chart.routes_map", "fa") and fa.layout.title.xanchor == "right"


def test_mode_colours_are_those_of_the_charts_beside_the_map(places, routes):
    from analysis import figures

    fig = maps.routes_map(places, routes, lang="en")
    bars = figures.modes_over_time(pd.DataFrame({"month_start": ["2024-01-01"] * 2, "year": [2024] * 2,
                                                 "month": [1, 1], "transport_mode": ["sea", "rail"],
                                                 "value": [1.0, 2.0]}), Names(), lang="en", calendar="gregorian",
                                   measure="usd")
    on_map = {tr.meta["mode"]: tr.line.color for tr in route_traces(fig)}
    in_bars = {tr.name: tr.marker.color for tr in bars.data}
    assert on_map["sea"] == in_bars["sea"] and on_map["rail"] == in_bars["rail"]  # names fall back to the key


def test_width_grows_with_value(places, routes):
    fig = maps.routes_map(places, routes, lang="en")
    width = {tr.meta["route"]: tr.line.width for tr in route_traces(fig)}
    by_value = routes.sort_values("value")["route"].tolist()
    assert [width[r] for r in by_value] == sorted(width.values())
    assert len(set(width.values())) == len(width)
    assert width["anzali_astrakhan"] == maps.MAX_WIDTH


def test_rows_of_one_route_are_summed_and_empty_routes_dropped(places):
    rows = pd.DataFrame({"route": ["anzali_astrakhan", "anzali_astrakhan", "nowshahr_olya", "kamyshin_astrakhan",
                                   None],
                         "value": [30.0, 10.0, 40.0, 0.0, 99.0]})
    traces = route_traces(maps.routes_map(places, rows, lang="en"))
    assert {tr.meta["route"]: tr.line.width for tr in traces} == {
        "anzali_astrakhan": maps.MAX_WIDTH, "nowshahr_olya": maps.MAX_WIDTH}
    assert {tr.meta["mode"] for tr in traces} == {"sea"}  # from ROUTES when no mode column


def test_routes_by_office_maps_customs_offices(places):
    rows = pd.DataFrame({"customs_office": ["anzali", "caspian", "incheh_borun", "rasht"],
                         "transport_mode": ["sea", "sea", "rail", "road"], "value": [1.0, 2.0, 3.0, 4.0]})
    df = maps.routes_by_office(rows)
    assert dict(zip(df["route"].fillna("-"), df["value"], strict=True)) == {
        "anzali_astrakhan": 3.0, "incheh_borun_volgograd": 3.0, "-": 4.0}
    assert len(route_traces(maps.routes_map(places, df, lang="en"))) == 2
    offices = pd.read_csv(REFERENCE / "customs_offices.csv")
    assert set(maps.OFFICE_ROUTES) <= set(offices["office"])


def test_every_route_passes_through_known_places(places):
    keys = set(places["key"])
    for route in maps.ROUTES.values():
        assert isinstance(route["path"][0], str) and isinstance(route["path"][-1], str)
        assert {p for p in route["path"] if isinstance(p, str)} <= keys
    assert set(maps.OFFICE_ROUTES.values()) <= set(maps.ROUTES)


def test_bad_input_is_refused(places, routes):
    with pytest.raises(ValueError, match="language"):
        maps.routes_map(places, routes, lang="de")
    with pytest.raises(ValueError, match="no geometry"):
        maps.routes_map(places, pd.DataFrame({"route": ["nowhere"], "value": [1.0]}), lang="en")
    with pytest.raises(ValueError, match="olya"):
        maps.routes_map(places[places["key"] != "olya"], routes, lang="en")


def test_a_path_column_draws_a_route_not_in_routes(places):
    rows = pd.DataFrame({"route": ["custom"], "mode": ["road"], "value": [5.0],
                         "path": [["astara_az", (49.87, 40.41), "makhachkala"]]})
    (trace,) = route_traces(maps.routes_map(places, rows, lang="en"))
    assert (trace.x[0], trace.y[0]) == (48.87498, 38.45598) and trace.x[-1] == 47.50027


def test_no_url_in_the_figure_and_the_attribution_is_on_it(places, routes):
    fig = maps.routes_map(places, routes, lang="fa")
    assert not re.search(r"https?://", fig.to_json())
    assert {tr.type for tr in fig.data} == {"scatter"}  # no geo or MapLibre trace: nothing to fetch
    (land,) = [tr for tr in fig.data if tr.meta and tr.meta.get("role") == "land"]
    assert land.fill == "toself" and len(land.x) > 1000
    assert [a.text for a in fig.layout.annotations] == ["GeoNames (CC BY 4.0), Natural Earth"]


def point_in_ring(lon: float, lat: float, ring: list) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def on_land(geojson: dict, lon: float, lat: float) -> list[str]:
    hits = []
    for f in geojson["features"]:
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for outer, *holes in polygons:
            if point_in_ring(lon, lat, outer) and not any(point_in_ring(lon, lat, h) for h in holes):
                hits.append(f["properties"]["iso2"])
    return hits


def test_country_polygons_leave_the_caspian_open():
    path = maps.GEOJSON_PATH
    assert path.stat().st_size < 300_000
    geojson = json.loads(path.read_text(encoding="utf-8"))
    assert geojson["type"] == "FeatureCollection"
    assert CASPIAN_NEIGHBOURS <= {f["properties"]["iso2"] for f in geojson["features"]}
    assert all(set(f["properties"]) == {"iso2", "name_en"} for f in geojson["features"])
    assert not re.search(r"\.\d{4,}", path.read_text(encoding="utf-8"))  # 3 decimals at most
    for lon, lat in [(50.5, 42.0), (51.0, 38.5), (50.0, 45.5), (52.0, 40.5)]:  # south, middle, north Caspian
        assert on_land(geojson, lon, lat) == []
    assert on_land(geojson, 44.4976, 48.71378) == ["RU"]  # Volgograd
    assert on_land(geojson, 51.39, 35.69) == ["IR"]  # Tehran
    assert on_land(geojson, 49.87, 40.41 - 0.05) == ["AZ"]  # Baku
    assert maps.caspian_countries() is maps.caspian_countries()  # read once


@pytest.mark.browser
def test_map_draws_from_a_saved_file_with_no_request_off_the_machine(places, routes, chromium, tmp_path):
    from playwright.sync_api import sync_playwright

    path = tmp_path / "map.html"
    maps.routes_map(places, routes, lang="fa").write_html(path, include_plotlyjs=True)
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "blob:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 1000, "height": 650})
        context.route("**/*", route)
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
        drawn = page.evaluate("() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length")
        browser.close()
    assert blocked == []
    assert drawn == len(routes) + 2  # the routes, the land and the places


@pytest.mark.browser
def test_kaleido_png_shows_land_and_water(places, routes, chromium):
    from PIL import Image

    fig = maps.routes_map(places, routes, lang="ru")
    png = fig.to_image(format="png", width=800, height=560)
    colors = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20)
    share = {rgb: n / (800 * 560) for n, rgb in colors}
    hex_rgb = lambda h: tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))  # noqa: E731
    assert share.get(hex_rgb(maps.LAND_COLOR), 0) > 0.3
    assert share.get(hex_rgb(maps.WATER_COLOR), 0) > 0.05

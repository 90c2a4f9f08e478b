"""Exports: stamps in three languages, file names, PNG/SVG through kaleido and the local Chromium,
offline HTML in a real browser with the network blocked, CSV/XLSX equal to the plotted data, the
chart pack and its index, and the path without a browser. Real sample warehouse throughout."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from html.parser import HTMLParser

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from analysis import __main__ as cli
from analysis import charts, export, pack, queries
from analysis.db import Warehouse, identity
from analysis.filters import Allowed, Filters
from analysis.i18n import date_label, label, t
from analysis.names import Names
from tests.browser import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def wh(sample_warehouse) -> Warehouse:
    w = Warehouse(identity(sample_warehouse))
    yield w
    w.close()


@pytest.fixture(scope="module")
def names(wh) -> Names:
    return Names.from_warehouse(wh)


@pytest.fixture(scope="module")
def allowed(wh) -> Allowed:
    return Allowed.from_warehouse(wh)


def build(wh, names, allowed, key: str, **params) -> tuple[charts.Chart, Filters, go.Figure, export.Stamp]:
    f = Filters.parse_strict(params, allowed)
    chart = charts.BY_KEY[key]
    fetch = pack.fetcher(wh, f)
    return chart, f, chart.figure(fetch, f, names), export.stamp_for(chart, fetch, f, names, wh.meta)


MAZ_2024 = {"provinces": "IR-02", "flow": "export", "from": "2024-01", "to": "2024-12"}


# ---------------------------------------------------------------- what a chart says when it is empty or partial


def test_complementarity_marks_a_year_one_side_reported_only_part_of(wh, names, allowed):
    # the sample's Volgograd customs end in January 2022: 2021 compares whole years, 2022 January's mix
    _, _, fig, _ = build(wh, names, allowed, "gaps_complementarity", lang="en", provinces="IR-01",
                         flow="export", **{"from": "2021-01", "to": "2022-12"})
    (trace,) = fig.data
    assert list(trace.x) == ["2021", "2022"]
    assert list(trace.marker.symbol) == ["circle", "circle-open"]
    assert "<br>" not in trace.hovertext[0]
    assert trace.hovertext[1].endswith(t("hover.mix_months", "en", province="12", partner="1"))


def test_complementarity_without_a_year_of_both_sides_says_why(wh, names, allowed):
    # Persian's default period (Jalali 1401 on) begins after Russia's last regional month (January 2022,
    # in 1400): no year has the partner's mix, and the chart says so rather than "widen the period"
    _, _, fig, _ = build(wh, names, allowed, "gaps_complementarity", lang="fa")
    assert not fig.data
    assert [a.text for a in fig.layout.annotations] == [t("empty.complementarity", "fa")]
    _, _, fig, _ = build(wh, names, allowed, "gaps_complementarity", lang="fa", **{"from": "1399-01", "to": "1400-12"})
    assert fig.data and not fig.layout.annotations
    assert {x for trace in fig.data for x in trace.x} == {"۱۳۹۹", "۱۴۰۰"}


# ---------------------------------------------------------------- names and stamps


def test_file_names_say_what_is_inside(wh, names, allowed):
    chart, f, _, _ = build(wh, names, allowed, "sectors_bars", lang="fa", **MAZ_2024)
    assert export.file_name(chart, f, names, "png") == "mazandaran-volgograd_exports_by-sector_2024_fa.png"

    f = Filters.parse_strict({"lang": "en", "from": "1402-01", "to": "1403-06"}, allowed)
    assert export.file_name(charts.BY_KEY["trends_monthly"], f, names, "csv") == \
        "provinces-volgograd_trade_monthly_1402-01_1403-06_en.csv"

    f = Filters.parse_strict({"lang": "ru", "provinces": "IR-01,IR-27", "flow": "import", "measure": "kg",
                              "sectors": "agriculture", "from": "2023-04", "to": "2024-03"}, allowed)
    name = export.file_name(charts.BY_KEY["gaps_balance"], f, names, "xlsx")
    assert name == "gilan-golestan-volgograd_imports_balance_agriculture_tonnes_2023-04_2024-03_ru.xlsx"
    assert name.isascii()


def test_stamp_in_persian(wh, names, allowed):
    _, f, _, stamp = build(wh, names, allowed, "sectors_bars", lang="fa", **MAZ_2024)
    assert stamp.title == t("chart.sectors", "fa")
    assert stamp.sample == t("banner.sample", "fa")  # the sample warehouse says so
    assert "مازندران" in stamp.filters and t("flow.export", "fa") in stamp.filters
    assert "ژانویه ۲۰۲۴ – دسامبر ۲۰۲۴" in stamp.filters  # months given in Gregorian keep their calendar
    methods = queries.methods(wh, f)  # named from the data: the methods that carry the value in view
    in_view = methods.loc[methods["share"] > 0, "method"]
    assert len(in_view) and all(label("method", m, "fa") in stamp.note for m in in_view)
    built = dt.datetime.fromisoformat(wh.meta["built_at"]).date()
    assert "منابع:" in stamp.sources and date_label(built, "jalali", "fa") in stamp.as_of
    prose = [stamp.title, stamp.filters, stamp.sources, stamp.note]
    assert not any(re.search("[0-9]", s) for s in prose)  # Persian digits everywhere but the version

    _, _, _, jalali = build(wh, names, allowed, "trends_monthly", lang="fa", **{"from": "1402-01", "to": "1402-12"})
    assert "فروردین ۱۴۰۲ – اسفند ۱۴۰۲" in jalali.filters


def test_stamp_method_and_tau(wh, names, allowed):
    _, _, _, mirror = build(wh, names, allowed, "gaps_mirror", lang="ru")
    assert "τ = 6\u00a0%" in mirror.note and "τ = 6\u00a0%" in mirror.title
    _, _, _, reported = build(wh, names, allowed, "routes_modes", lang="ru")
    assert reported.note == ""  # reported trade: no estimate, no τ
    built = dt.datetime.fromisoformat(wh.meta["built_at"]).date()
    assert date_label(built, "gregorian", "ru") in reported.as_of and wh.meta["version"] in reported.as_of
    assert reported.footer() == [reported.filters, reported.sources, reported.as_of]


# ---------------------------------------------------------------- the plotted data


def test_figure_data_carries_the_interval_bounds_and_methods_of_each_bar(wh, names, allowed):
    chart, f, fig, _ = build(wh, names, allowed, "overview_by_province", lang="en")
    data = export.figure_data(fig)
    assert list(data.columns) == ["trace", "x", "y", "p10", "p90", "lower", "upper", "method"]
    raw = queries.by_province(wh, f)
    for flow in ("export", "import"):
        part = raw[raw["flow"] == flow]
        rows = data[data["trace"] == t(f"flow.{flow}", "en")]
        for column in ("p10", "p90", "lower", "upper"):
            assert rows[column].tolist() == pytest.approx(part[column].tolist())
        assert rows["x"].tolist() == pytest.approx(part["value"].tolist())
        assert all(label("method", m["method"], "en") in text for ms, text in zip(part["methods"], rows["method"],
                                                                                strict=True) for m in ms
                   if m["share"] >= 0.01)


def test_figure_data_reads_error_bars_back_as_lower_and_upper():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[10.0, 20.0], name="v",
                           error_y={"type": "data", "symmetric": False, "array": [2, 3], "arrayminus": [1, 4]}))
    data = export.figure_data(fig)
    assert list(data.columns) == ["trace", "x", "y", "lower", "upper"]
    assert data["lower"].tolist() == [9.0, 16.0] and data["upper"].tolist() == [12.0, 23.0]


def test_figure_data_skips_only_unnamed_band_helpers():
    fig = go.Figure([
        go.Scatter(x=[1, 2], y=[5, 6], mode="lines", line={"width": 0}, hoverinfo="skip", showlegend=False),
        go.Scatter(x=[1, 2], y=[1, 2], mode="lines", fill="tonexty", line={"width": 0}, hoverinfo="skip",
                   name="range"),
        go.Scatter(x=[1, 2], y=[3, 4], name="estimate"),
        go.Heatmap(z=[[0, 1]], x=["a", "b"], y=["r"], hoverinfo="skip"),
    ])
    data = export.figure_data(fig)
    assert data["trace"].tolist() == ["range", "range", "estimate", "estimate", "", ""]
    # a band edge whose values another trace carries as columns is left out
    fig.add_trace(go.Scatter(x=[1, 2], y=[0, 1], fill="tonexty", name="likely", meta={"band_of": "estimate"}))
    assert "likely" not in export.figure_data(fig)["trace"].tolist()
    assert data["z"].iloc[-2:].tolist() == [0, 1]


def normalised(df: pd.DataFrame) -> list[list[str]]:
    """Cells as comparable text: numbers to 12 significant digits, dates as ISO days, missing as ""."""
    def cell(v) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
            return ""
        if isinstance(v, pd.Timestamp):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, int | float) and not isinstance(v, bool):
            return f"{float(v):.12g}"
        return str(v)

    return [list(df.columns)] + [[cell(v) for v in row] for row in df.itertuples(index=False)]


@pytest.mark.parametrize("key,lang", [("trends_monthly", "fa"), ("sectors_bars", "ru"), ("sectors_treemap", "en"),
                                      ("data_coverage", "fa"), ("gaps_potential", "ru")])
def test_csv_and_xlsx_equal_the_figure_data(wh, names, allowed, key, lang):
    _, _, fig, stamp = build(wh, names, allowed, key, lang=lang)
    expected = export.figure_data(fig)
    assert len(expected) > 0

    raw = export.to_bytes(fig, stamp, "csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads Persian and Russian as UTF-8
    dates = [c for c in expected.columns if pd.api.types.is_datetime64_any_dtype(expected[c])]
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", parse_dates=dates, keep_default_na=False,
                       na_values=[""])
    assert normalised(back) == normalised(expected)

    book = export.to_bytes(fig, stamp, "xlsx")
    sheets = pd.read_excel(io.BytesIO(book), sheet_name=None, engine="openpyxl", header=None)
    assert list(sheets) == ["data", "about"]
    data = pd.read_excel(io.BytesIO(book), sheet_name="data", engine="openpyxl")
    assert normalised(data) == normalised(expected)
    assert sheets["about"][0].tolist() == stamp.lines()


# ---------------------------------------------------------------- images and HTML in Chromium


def test_png_decodes_at_the_asked_size_and_is_not_blank(chromium, wh, names, allowed):
    _, _, fig, stamp = build(wh, names, allowed, "sectors_bars", lang="fa", **MAZ_2024)
    for width, height in ((export.WIDTH, export.HEIGHT), (900, 560)):
        png = export.render.to_png(export.stamped(fig, stamp, width=width), width, height)
        image = Image.open(io.BytesIO(png))
        image.load()
        assert image.format == "PNG" and image.size == (width, height)
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
        assert len(colours) > 200  # text, bars, sample mark: not a blank or single-colour canvas
    # Persian: the title is drawn on the right half, the red sample mark under it too
    rgb = image.convert("RGB")
    ink = [x for x in range(width) for y in range(8, 40) if sum(rgb.getpixel((x, y))) < 600]
    assert ink and min(ink) > width / 2
    red = [x for x in range(width) for y in range(40, 80) if _reddish(rgb.getpixel((x, y)))]
    assert red and max(red) > width * 0.9


def _reddish(p) -> bool:
    r, g, b = p
    return r > 150 and g < 110 and b < 110


@pytest.mark.parametrize("lang", ["fa", "ru"])
def test_svg_holds_the_stamp_in_the_language(chromium, wh, names, allowed, lang):
    _, _, fig, stamp = build(wh, names, allowed, "gaps_mirror", lang=lang)
    svg = export.to_bytes(fig, stamp, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    text = html.unescape(svg)
    assert stamp.title in text and stamp.sample in text
    assert t("stamp.sources", lang, sources=t("source.comtrade", lang)) in text
    assert stamp.note in text  # the τ line


def test_html_export_draws_offline_in_chromium(chromium, wh, names, allowed, tmp_path):
    from playwright.sync_api import sync_playwright

    _, _, fig, stamp = build(wh, names, allowed, "trends_monthly", lang="fa")
    page_file = tmp_path / "chart.html"
    page_file.write_bytes(export.to_bytes(fig, stamp, "html"))
    requested: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            requested.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1300, "height": 900})
            context.route("**/*", route)
            page = context.new_page()
            page.goto(page_file.as_uri())
            page.wait_for_selector(".main-svg", timeout=30_000)
            drawn = page.locator(".js-plotly-plot .scatterlayer .trace").count()
            attrs = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
            body = page.inner_text("body")
        finally:
            browser.close()
    assert requested == []  # nothing asked of the network
    assert drawn >= 4  # two bands and two lines
    assert attrs == ["fa", "rtl"]
    assert stamp.filters in body and stamp.sample in body


# ---------------------------------------------------------------- the chart pack


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: set[str] = set()
        self.figures: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) and not a[key].startswith("#"):
                self.targets.add(a[key])
        if tag == "figure":
            self.figures.add(a["id"])


def test_chart_pack_holds_every_chart_in_every_format(chromium, sample_warehouse, tmp_path, capsys):
    out = tmp_path / "pack"
    code = cli.main(["export", "--out", str(out), "--lang", "ru", "--provinces", "Mazandaran,IR-01",
                     "--from", "2023-01", "--to", "2024-12", "--db", str(sample_warehouse)])
    err = capsys.readouterr().err
    assert code == 0, err
    files = {p.name for p in out.iterdir()}
    for fmt in export.FORMATS:
        by_format = {n for n in files - {"index.html"} if n.endswith("." + fmt)}
        assert len(by_format) == len(charts.CHARTS), fmt  # one file per chart, none shared
        assert all(n.startswith("gilan-mazandaran-volgograd_trade_") and n.endswith(f"_2023-01_2024-12_ru.{fmt}")
                   for n in by_format)
    links = Links()
    index = (out / "index.html").read_text(encoding="utf-8")
    links.feed(index)
    assert links.targets == files - {"index.html"}  # every file linked, every link a file
    assert links.figures == {c.key for c in charts.CHARTS}
    assert '<html lang="ru" dir="ltr">' in index and t("banner.sample", "ru") in index
    for png in (p for p in out.iterdir() if p.suffix == ".png"):
        assert Image.open(png).size == (export.WIDTH, export.HEIGHT)
    assert "wrote" in err


def test_without_a_browser_the_other_formats_are_written(monkeypatch, wh, names, allowed, sample_warehouse,
                                                         tmp_path, capsys):
    monkeypatch.setattr(export.render, "find_browser", lambda: None)  # a machine without Chromium or Chrome
    _, _, fig, stamp = build(wh, names, allowed, "gaps_balance", lang="fa")
    with pytest.raises(export.BrowserMissing) as e:
        export.to_bytes(fig, stamp, "png")
    assert "PNG and SVG" in str(e.value) and export.INSTALL_COMMAND in str(e.value)
    assert export.INSTALL_COMMAND in e.value.message("fa") and "Chromium" in e.value.message("ru")

    out = tmp_path / "pack"
    code = cli.main(["export", "--out", str(out), "--lang", "fa", "--from", "1403-01", "--to", "1403-12",
                     "--formats", "png,svg,csv,xlsx,html", "--db", str(sample_warehouse)])
    err = capsys.readouterr().err
    assert code == 0, err
    written = {p.suffix for p in out.iterdir()}
    assert written == {".csv", ".xlsx", ".html"}
    assert "skipped: png, svg" in err and export.INSTALL_COMMAND in err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in index and export.BrowserMissing.message("fa") in index
    links = Links()
    links.feed(index)
    assert links.targets == {p.name for p in out.iterdir()} - {"index.html"}


# ---------------------------------------------------------------- the command line


@pytest.mark.parametrize("args,option", [(["--from", "2024-13"], "--from"), (["--provinces", "Tehran"], "--provinces"),
                                         (["--lang", "de"], "--lang"), (["--formats", "gif"], "--formats")])
def test_a_bad_value_is_a_usage_error_naming_the_option(sample_warehouse, tmp_path, capsys, args, option):
    with pytest.raises(SystemExit) as e:
        cli.main(["export", "--out", str(tmp_path), "--db", str(sample_warehouse), *args])
    assert e.value.code == 2
    assert option in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_a_missing_warehouse_is_a_problem(tmp_path, capsys):
    assert cli.main(["export", "--out", str(tmp_path / "out"), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "python -m etl refresh" in capsys.readouterr().err


def test_every_standard_chart_carries_its_title_note_and_queries():
    assert len(charts.BY_KEY) == len(charts.CHARTS)  # keys are unique
    for chart in charts.CHARTS:
        assert chart.note in ("method", "tau", "")
        assert chart.queries and all(q.__module__ == queries.__name__ for q in chart.queries)
        for lang in ("en", "fa", "ru"):
            assert chart.title_text(lang) and "{" not in chart.title_text(lang)


def test_the_stamp_names_each_method_the_data_holds(wh, names, allowed):
    """Methods come from marts.bilateral, translated by key; one the locales do not know keeps its key."""
    _, f, _, stamp = build(wh, names, allowed, "overview_by_province", lang="en")
    methods = queries.methods(wh, f)
    for method in methods.loc[methods["share"] > 0, "method"]:
        assert label("method", method, "en") in stamp.note
    renamed = methods.assign(method=methods["method"].replace({"proportional": "calibrated"}))
    chart = charts.BY_KEY["overview_by_province"]
    calibrated = export.stamp_for(chart, lambda q: renamed if q is queries.methods else q(wh, f), f, names, wh.meta)
    assert "calibrated" in calibrated.note and t("method.direct", "en") in calibrated.note

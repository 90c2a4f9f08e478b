"""The frame every page is drawn in: language, filters kept in the URL, navigation, the sample
banner, "data as of", and query results cached per warehouse version.

Each page file calls `run(page, render)`. Streamlit resolves `/sectors` to `pages/sectors.py` even
on the first request after the server starts, so every page builds the whole frame itself and a
deep link shows exactly what a click would.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import duckdb
import pandas as pd
import streamlit as st

from analysis import charts, db, export, i18n, queries
from analysis.filters import Allowed, FilterProblem, Filters
from analysis.i18n import Names, t

PAGES = ("overview", "sectors", "trends", "gaps", "routes", "data")
LANG_NAMES = {"en": "English", "fa": "فارسی", "ru": "Русский"}
REFRESH_COMMAND = "python -m etl refresh"
RTL_CSS = """
<style>
[data-testid="stAppViewContainer"], [data-testid="stSidebar"], [data-testid="stHeader"] { direction: rtl; }
[data-testid="stMarkdownContainer"], [data-testid="stMetric"], .stAlert, label { text-align: right; }
.js-plotly-plot, [data-testid="stDataFrame"], code, pre { direction: ltr; }
</style>
"""
BASE_CSS = """
<style>
[data-testid="stMetricValue"] { font-size: 1.7rem; }
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; white-space: normal; }
</style>
"""
SET_DOCUMENT_DIR = "<script>document.documentElement.lang = '{lang}'; document.documentElement.dir = '{dir}';</script>"


@dataclass
class Context:
    """What a page needs: the warehouse, the validated filters, the language and cached queries."""

    wh: db.Warehouse
    f: Filters
    allowed: Allowed
    names: Names
    page: str

    @property
    def lang(self) -> str:
        return self.f.lang

    def t(self, key: str, **fmt) -> str:
        return t(key, self.lang, **fmt)

    def q(self, name: str, **kwargs) -> pd.DataFrame:
        """A query function of analysis.queries, cached per warehouse version and filters."""
        key = tuple(sorted(self.f.to_query().items()))
        return _cached_query(self.wh.version, name, key, tuple(sorted(kwargs.items())), self.wh, self.f, kwargs)

    def link(self, page: str | None = None) -> str:
        """Relative link to a page with the current filters."""
        return f"/{page or self.page}?{urlencode(self.f.to_query())}"


@st.cache_data(max_entries=2000, show_spinner=False)
def _cached_query(version: str, name: str, filters_key: tuple, kwargs_key: tuple, _wh: db.Warehouse,
                  _f: Filters, _kwargs: dict) -> pd.DataFrame:
    func = getattr(queries, name)
    if name in ("published_vs_data", "load_history", "places", "rejected_rows", "load_warnings"):
        return func(_wh, **_kwargs)
    return func(_wh, _f, **_kwargs)


@st.cache_resource(max_entries=4, show_spinner=False)
def _names(version: str, _wh: db.Warehouse) -> Names:
    return Names.from_warehouse(_wh)


@st.cache_resource(max_entries=4, show_spinner=False)
def _allowed(version: str, _wh: db.Warehouse) -> Allowed:
    return Allowed.from_warehouse(_wh)


def run(page: str, render: Callable[[Context], None]) -> None:
    lang = _url_lang()
    st.set_page_config(page_title=f"{t('nav.' + page, lang)} · {t('app.title', lang)}", page_icon="🌊",
                       layout="wide", initial_sidebar_state="expanded")
    _direction(lang)
    wh = _open_warehouse(lang)
    try:
        allowed = _allowed(wh.version, wh)
        f, problems = Filters.from_query(st.query_params, allowed)
        f = _sidebar(f, allowed, _names(wh.version, wh))
        if f.lang != lang:
            _direction(f.lang)
        _sync_url(f)
        ctx = Context(wh, f, allowed, _names(wh.version, wh), page)
        _header(ctx, problems)
        render(ctx)
        _footer(ctx)
    except duckdb.Error as e:
        # a file that opens but is damaged inside (cut short, bad blocks): the same page as a broken open
        st.session_state["broken_live"] = wh.identity
        _warehouse_problem(lang, t("error.warehouse_corrupt", lang, error=type(e).__name__,
                                   command=f"`{REFRESH_COMMAND}`"))


def _url_lang() -> str:
    values = st.query_params.get_all("lang")
    return values[0] if values and values[0] in i18n.LANGS else "en"


def _direction(lang: str) -> None:
    rtl = i18n.is_rtl(lang)
    st.html(SET_DOCUMENT_DIR.format(lang=lang, dir="rtl" if rtl else "ltr"), unsafe_allow_javascript=True)
    st.html(BASE_CSS)
    if rtl:
        st.html(RTL_CSS)


def _open_warehouse(lang: str) -> db.Warehouse:
    """The live warehouse; when it is missing or broken, a page saying how to rebuild it and, if a
    previous version exists, a button to look at that one meanwhile (read-only, this session)."""
    try:
        wh = db.current()
    except db.WarehouseMissing:
        problem = t("empty.no_warehouse", lang, command=f"`{REFRESH_COMMAND} --sample`")
    except (duckdb.Error, OSError) as e:
        problem = t("error.warehouse_corrupt", lang, error=type(e).__name__, command=f"`{REFRESH_COMMAND}`")
    else:
        if st.session_state.get("broken_live") != wh.identity:
            return wh
        problem = t("error.warehouse_corrupt", lang, error="IOException", command=f"`{REFRESH_COMMAND}`")
    return _warehouse_problem(lang, problem)


def _warehouse_problem(lang: str, problem: str) -> db.Warehouse:
    """Say what is wrong and how to rebuild; offer the previous version when there is one."""
    from etl import paths, warehouse

    prev = warehouse.previous_path(paths.WAREHOUSE)
    if st.session_state.get("use_previous") and prev.exists():
        try:
            wh = db.current(prev)
        except (duckdb.Error, OSError, db.WarehouseMissing):
            st.session_state["use_previous"] = False
        else:
            st.error(problem)
            st.warning(t("banner.previous", lang, version=wh.version))
            return wh
    st.title(t("app.title", lang))
    st.error(problem)
    if prev.exists():
        st.info(t("error.previous_available", lang, path=f"`{prev}`", command=f"`cp {prev} {paths.WAREHOUSE}`"))
        if st.button(t("error.use_previous", lang)):
            st.session_state["use_previous"] = True
            st.rerun()
    st.stop()
    raise AssertionError("unreachable")


def _sidebar(f: Filters, allowed: Allowed, names: Names) -> Filters:
    """Filter widgets showing the URL's values; what the user picks becomes the new URL."""
    sb = st.sidebar
    lang = sb.selectbox(t("filter.language", f.lang), i18n.LANGS, index=i18n.LANGS.index(f.lang),
                        format_func=LANG_NAMES.get)
    L = lang  # labels in the language just chosen
    sb.header(t("filter.heading", L))
    provinces = sb.multiselect(t("filter.provinces", L), allowed.provinces, default=list(f.provinces),
                               format_func=lambda c: names.region(c, L))
    flows = ("both", "export", "import")
    flow = sb.radio(t("filter.flow", L), flows, index=flows.index(f.flow), format_func=lambda v: t(f"flow.{v}", L))
    calendars = ("gregorian", "jalali")
    calendar = sb.radio(t("filter.calendar", L), calendars, index=calendars.index(f.calendar),
                        format_func=lambda v: t(f"calendar.{v}", L), horizontal=True)
    months = _month_options(allowed, calendar)
    start, end = _month_range(f, calendar, months)
    month_from, month_to = sb.select_slider(
        t("filter.period", L), options=[m for m, _, _ in months], value=(start, end),
        format_func=lambda m: _month_text(m, calendar, L))
    sectors = sb.multiselect(t("filter.sectors", L), allowed.sectors, default=list(f.sectors),
                             format_func=lambda s: names.sector(s, L), placeholder=t("filter.sectors_all", L))
    levels = (2, 4, 6)
    hs = sb.radio(t("filter.hs", L), levels, index=levels.index(f.hs), format_func=lambda v: t(f"hs.{v}", L))
    measures = ("usd", "kg")
    measure = sb.radio(t("filter.measure", L), measures, index=measures.index(f.measure),
                       format_func=lambda v: t(f"measure.{v}", L), horizontal=True)
    chosen = {"lang": lang, "provinces": ",".join(provinces) or ",".join(allowed.provinces), "flow": flow,
              "from": month_from, "to": month_to, "sectors": ",".join(sectors), "hs": str(hs), "measure": measure,
              "calendar": calendar}
    new, _ = Filters.from_query(chosen, allowed)
    return new


def _month_options(allowed: Allowed, calendar: str) -> list[tuple[str, int, int]]:
    """Every month of the data's span in the calendar: (label 'YYYY-MM', year, month)."""
    from etl.periods import calendar_months

    first, last = allowed.first_day, allowed.last_day
    return [(label, y, m) for cal, start, end, y, m, label in calendar_months()
            if cal == calendar and first is not None and end >= first and start <= last]


def _month_range(f: Filters, calendar: str, months: list[tuple[str, int, int]]) -> tuple[str, str]:
    labels = [m for m, _, _ in months]
    if f.calendar == calendar and f.month_from in labels and f.month_to in labels:
        return f.month_from, f.month_to
    from etl.periods import calendar_months

    # the months of this calendar that overlap the filter's dates (a Jalali month may straddle them)
    overlap = [label for cal, start, end, _, _, label in calendar_months()
               if cal == calendar and label in labels and end >= f.date_from and start <= f.date_to]
    return (overlap[0], overlap[-1]) if overlap else (labels[0], labels[-1])


def _month_text(label: str, calendar: str, lang: str) -> str:
    year, month = label.split("-")
    return i18n.month_label(int(year), int(month), calendar, lang, short=True)


def _sync_url(f: Filters) -> None:
    wanted = f.to_query()
    current = {k: st.query_params.get(k) for k in wanted}
    if current != wanted or set(st.query_params.keys()) - set(wanted):
        st.query_params.from_dict(wanted)


def _header(ctx: Context, problems: list[FilterProblem]) -> None:
    cols = st.columns(len(PAGES))
    for col, page in zip(cols, PAGES, strict=True):
        col.page_link(f"pages/{page}.py", label=ctx.t(f"nav.{page}"), query_params=ctx.f.to_query(),
                      disabled=page == ctx.page)
    st.title(ctx.t(f"nav.{ctx.page}"))
    st.caption(ctx.t("app.subtitle"))
    if ctx.wh.is_sample:
        st.warning(ctx.t("banner.sample"), icon="⚠️")
    for p in problems:
        # the value comes from the URL: shown as a code span, which Markdown neither formats nor links
        # (parameter names and allowed values are our own)
        st.info(ctx.t("filter.problem", param=p.param, value=md_code(p.value),
                      allowed=", ".join(p.allowed) if p.allowed else "—"), icon="ℹ️")


def md_code(text: str) -> str:
    """Text as a Markdown code span: shown verbatim, never turned into a link or formatting."""
    return "`" + re.sub(r"[`\r\n]", " ", str(text)) + "`"


def _footer(ctx: Context) -> None:
    st.divider()
    built = ctx.wh.meta.get("built_at", "")
    st.caption(ctx.t("stamp.data_as_of", built=_built_text(built, ctx), version=ctx.wh.version))
    with st.expander(ctx.t("filter.copy_link")):
        st.code(_absolute(ctx.link()), language=None)


def _built_text(built: str, ctx: Context) -> str:
    try:
        day = pd.Timestamp(built).date()
    except ValueError:
        return built
    return i18n.date_label(day, ctx.f.calendar, ctx.lang)


def _absolute(link: str) -> str:
    try:
        base = st.context.url.split("?")[0].rsplit("/", 1)[0]
    except (AttributeError, TypeError):
        base = ""
    return base + link


def metric_bounds(ctx: Context, lower: float, upper: float) -> str:
    return ctx.t("metric.bounds", lower=i18n.fmt_compact(lower, ctx.lang, ctx.f.measure),
                 upper=i18n.fmt_compact(upper, ctx.lang, ctx.f.measure))


def show(ctx: Context, key: str) -> None:
    """Draw one of the standard charts (analysis.charts) with its downloads: PNG, SVG, offline
    HTML, CSV and XLSX, each stamped with title, filters, sources, vintage and method, and made
    only when clicked."""
    chart = charts.BY_KEY[key]
    fig = chart.build(ctx.q, ctx.f, ctx.names)
    st.plotly_chart(fig, key=key, config={"displaylogo": False, "modeBarButtonsToRemove": ["toImage"]})
    stamp = export.stamp_for(chart, ctx.f, ctx.names, ctx.wh.meta, ctx.lang)
    browser = _browser()
    cols = st.columns([1] * len(export.FORMATS) + [1], gap="small")
    for col, fmt in zip(cols, export.FORMATS, strict=False):
        if fmt in export.IMAGE_FORMATS and browser is None:
            col.button(fmt.upper(), key=f"{key}_{fmt}", disabled=True, type="tertiary",
                       help=export.BrowserMissing.message(ctx.lang))
            continue
        col.download_button(fmt.upper(), data=functools.partial(export.render, fig, stamp, fmt),
                            file_name=export.file_name(chart, ctx.f, ctx.names, fmt), mime=export.MIME[fmt],
                            key=f"{key}_{fmt}", on_click="ignore", type="tertiary",
                            help=ctx.t("export.download"))


@st.cache_resource(show_spinner=False)
def _browser() -> str | None:
    return export.find_browser()

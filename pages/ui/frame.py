"""The frame every page is drawn in: language and direction, the warehouse (or the page that says
how to rebuild it), the filters, navigation, the sample banner, "data as of", and query results
cached per warehouse version.

Each page file calls `run(page, render)`. Streamlit resolves `/sectors` to `pages/sectors.py` even
on the first request after the server starts, so every page builds the whole frame itself and a
deep link shows exactly what a click would.

Errors are told apart (analysis.db.is_damage): a warehouse that cannot be read leads to the page
that says how to rebuild it; any other failure is a bug — shown as one where it happened (a chart,
or the page), logged with its traceback, and the session goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

import duckdb
import pandas as pd
import streamlit as st

from analysis import db, figures, i18n, queries
from analysis.charts import Query
from analysis.filters import Allowed, FilterProblem, Filters
from analysis.i18n import t
from analysis.names import Names
from pages.ui import controls

PAGES = ("overview", "sectors", "trends", "gaps", "routes", "data")
REFRESH_COMMAND = "python -m etl refresh"
# #js-plotly-tester: the hidden SVG under the document's body in which Plotly measures labels. Measured
# right-to-left, their boxes come out on the wrong side, automargin keeps its 60 px, and long Persian
# axis labels (RCA, potential, coverage) are cut at the left while value-axis titles land on the ticks.
RTL_CSS = """
<style>
[data-testid="stAppViewContainer"], [data-testid="stSidebar"], [data-testid="stHeader"] { direction: rtl; }
[data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"], [data-testid="stMetric"], .stAlert,
label { text-align: right; }
.js-plotly-plot, [data-testid="stDataFrame"], code, pre { direction: ltr; }
#js-plotly-tester { direction: ltr; }
</style>
"""
BASE_CSS = """
<style>
[data-testid="stMetricValue"] { font-size: 1.7rem; }
[data-testid="stMetricValue"] > div { overflow: visible; text-overflow: clip; white-space: normal; }
</style>
"""
SET_DOCUMENT_DIR = "<script>document.documentElement.lang = '{lang}'; document.documentElement.dir = '{dir}';</script>"

log = logging.getLogger("ctm.dashboard")
if not log.handlers and not logging.getLogger().handlers:  # `streamlit run` leaves our loggers without one
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
log.setLevel(logging.INFO)  # a timing line per script run (bench/pages.py reads it from the server's log)


@dataclass
class Context:
    """What a page needs: the warehouse, the validated filters, the language and cached queries."""

    wh: db.Warehouse
    f: Filters
    allowed: Allowed
    names: Names
    page: str
    notes_shown: set[str] = field(default_factory=set)  # chart notes already on this page (pages.ui.chart)

    @property
    def lang(self) -> str:
        return self.f.lang

    def t(self, key: str, **fmt) -> str:
        return t(key, self.lang, **fmt)

    @property
    def filters_key(self) -> tuple:
        """The filters as a hashable key (with the warehouse version, what a cached figure depends on)."""
        return tuple(sorted(self.f.to_query().items()))

    @property
    def data_key(self) -> tuple:
        """The filters a query reads: all but the language (the three languages share one result)."""
        return tuple((k, v) for k, v in self.filters_key if k != "lang")

    def q(self, query: Query) -> pd.DataFrame:
        """`query(warehouse, filters)` (a function of analysis.queries), cached per warehouse version and filters."""
        return _cached(self.wh.version, f"{query.__module__}.{query.__qualname__}", self.data_key, self.wh,
                       self.f, query)

    def likely(self, p10: float, p90: float) -> str:
        """An estimate's likely range (80 %) in words, in the filters' measure."""
        return self.t("metric.likely", lower=i18n.fmt_compact(p10, self.lang, self.f.measure),
                      upper=i18n.fmt_compact(p90, self.lang, self.f.measure),
                      level=i18n.fmt_percent(figures.LIKELY_LEVEL, self.lang, decimals=0))

    def possible(self, lower: float, upper: float) -> str:
        """An estimate's possible range (its logical bounds) in words, in the filters' measure."""
        return self.t("metric.possible", lower=i18n.fmt_compact(lower, self.lang, self.f.measure),
                      upper=i18n.fmt_compact(upper, self.lang, self.f.measure))

    def span(self, lower: float, upper: float) -> str:
        """"$1.2M – $3.4M" in the filters' measure, for a table column that names the range."""
        return self.t("metric.span", lower=i18n.fmt_compact(lower, self.lang, self.f.measure),
                      upper=i18n.fmt_compact(upper, self.lang, self.f.measure))

    def how_estimated(self) -> str:
        """How the estimate in view was made: methods, ψ sources, nowcast months (i18n.how_estimated)."""
        return i18n.how_estimated(self.q(queries.methods), self.q(queries.psi_sources), self.q(queries.nowcast_from),
                                  self.lang)

    def link(self, page: str | None = None) -> str:
        """Relative link to a page with the current filters."""
        return f"/{page or self.page}?{urlencode(self.f.to_query())}"


@st.cache_data(max_entries=2000, show_spinner=False)
def _cached(version: str, name: str, filters_key: tuple, _wh: db.Warehouse, _f: Filters, _query: Query) -> pd.DataFrame:
    return _query(_wh, _f)


@st.cache_resource(max_entries=4, show_spinner=False)
def _names(version: str, _wh: db.Warehouse) -> Names:
    return Names.from_warehouse(_wh)


@st.cache_resource(max_entries=4, show_spinner=False)
def _allowed(version: str, _wh: db.Warehouse) -> Allowed:
    return Allowed.from_warehouse(_wh)


def run(page: str, render: Callable[[Context], None]) -> None:
    """One script run of `page`; its time on the server is logged (`page <name> <lang>: <s> s`)."""
    t0 = time.perf_counter()
    lang = controls.url_lang()
    try:
        _run(page, lang, render)
    finally:
        log.info("page %s %s: %.3f s", page, lang, time.perf_counter() - t0)


def warm(page: str, lang: str, wh: db.Warehouse, render: Callable[[Context], None]) -> None:
    """What a first visit to `page` in `lang` with the default filters computes, without a session
    (pages.ui.warmup): the allowed values, the names, the filters as the sidebar settles them, and
    every query and figure of the page, into the caches the sessions share."""
    render(_context(page, wh, {"lang": lang})[0])


def _context(page: str, wh: db.Warehouse, params) -> tuple[Context, list[FilterProblem]]:
    """The view the URL parameters ask for, with the filters as the sidebar settles them (it draws
    the sidebar), and the parameters' problems."""
    allowed = _allowed(wh.version, wh)
    names = _names(wh.version, wh)
    f, problems = Filters.from_query(params, allowed)
    return Context(wh, controls.sidebar(f, allowed, names), allowed, names, page), problems


def _run(page: str, lang: str, render: Callable[[Context], None]) -> None:
    st.set_page_config(page_title=f"{t('nav.' + page, lang)} · {t('app.title', lang)}", page_icon="🌊",
                       layout="wide", initial_sidebar_state="expanded")
    _direction(lang)
    wh = _open_warehouse(lang)
    try:
        ctx, problems = _context(page, wh, st.query_params)
        if ctx.f.lang != lang:
            _direction(ctx.f.lang)
        controls.sync_url(ctx.f)
        _header(ctx, problems)
        with guarded(ctx, ctx.t(f"nav.{page}")):
            render(ctx)
        _footer(ctx)
    except Exception as e:
        if not db.is_damage(e):  # a bug before the page could start (filters, names)
            _show_bug(lang, t(f"nav.{page}", lang), e, page, dict(st.query_params))
            return
        # a file that opens but is damaged inside (cut short, bad blocks): the same page as a broken open
        st.session_state["broken_live"] = wh.identity
        _warehouse_problem(lang, t("error.warehouse_corrupt", lang, error=type(e).__name__,
                                   command=f"`{REFRESH_COMMAND}`"))


@contextmanager
def guarded(ctx: Context, what: str) -> Iterator[None]:
    """Draw part of a page. Damage to the warehouse goes on to `run` (the rebuild page); any other
    failure is a bug: it is logged with its traceback and shown in place, and the page goes on."""
    try:
        yield
    except Exception as e:
        if db.is_damage(e):
            raise
        _show_bug(ctx.lang, what, e, ctx.page, ctx.f.to_query())


def _show_bug(lang: str, what: str, error: Exception, page: str, filters: dict) -> None:
    log.error("bug: %s failed on page %s with filters %s", what, page, filters, exc_info=error)
    text = str(error).strip()
    message = f"{type(error).__name__}: {text.splitlines()[0][:300]}" if text else type(error).__name__
    st.error(t("error.bug", lang, what=what, error=controls.md_code(message)), icon="🐞")


def _direction(lang: str) -> None:
    rtl = i18n.is_rtl(lang)
    st.html(SET_DOCUMENT_DIR.format(lang=lang, dir="rtl" if rtl else "ltr"), unsafe_allow_javascript=True)
    st.html(BASE_CSS)
    if rtl:
        st.html(RTL_CSS)


def _open_warehouse(lang: str) -> db.Warehouse:
    """The live warehouse; when it is missing, outdated or broken, a page saying how to rebuild it
    and, if a previous version exists, a button to look at that one meanwhile (read-only, this session)."""
    try:
        wh = db.current()
    except db.WarehouseMissing:
        problem = t("empty.no_warehouse", lang, command=f"`{REFRESH_COMMAND} --sample`")
    except db.WarehouseOutdated as e:
        problem = t("error.warehouse_outdated", lang, found=f"schema {e.found or '?'} ≠ {e.expected}",
                    command=f"`{REFRESH_COMMAND}`")
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
        except (duckdb.Error, OSError, db.WarehouseMissing, db.WarehouseOutdated):
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
        st.info(ctx.t("filter.problem", param=p.param, value=controls.md_code(p.value),
                      allowed=", ".join(p.allowed) if p.allowed else "—"), icon="ℹ️")


def _footer(ctx: Context) -> None:
    st.divider()
    built = ctx.wh.meta.get("built_at", "")
    st.caption(ctx.t("stamp.data_as_of", built=_built_text(built, ctx), version=ctx.wh.version))
    with st.expander(ctx.t("filter.copy_link")):
        st.markdown(controls.md_code(_absolute(ctx.link())))


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

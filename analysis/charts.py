"""The standard charts: one registry shared by the dashboard pages and the chart-pack export.

Each chart is built from query results (fetched through `q`, which the dashboard caches per
warehouse version) into a figure; its exportable data is read back from the figure itself
(analysis.export.figure_data), so a CSV holds exactly what was plotted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go

from analysis import figures, queries
from analysis.filters import Filters
from analysis.i18n import Names, t

Query = Callable[..., object]  # q(name, **kwargs) -> DataFrame


@dataclass(frozen=True)
class Chart:
    key: str  # unique, e.g. "overview_by_province"
    page: str
    slug: str  # what the chart shows, for file names: "by-province"
    build: Callable[[Query, Filters, Names], go.Figure]
    estimated: bool = True  # shows the province <-> Volgograd estimate (its method goes on exports)
    sources: tuple[str, ...] = ("iran_customs", "russia_customs", "comtrade")


def _trend(q, f, names, **kw):
    return figures.estimate_trend(q("trend"), lang=f.lang, calendar=f.calendar, measure=f.measure, **kw)


def _routes_map(q, f, names):
    from analysis import i18n, maps

    labels = {key: t(f"map.{key}", f.lang) for key in maps.DEFAULT_LABELS}
    fig = maps.routes_map(q("places"), maps.routes_by_office(q("routes")), lang=f.lang, labels=labels,
                          number_format=lambda v, lang: i18n.fmt_compact(v, lang, f.measure))
    fig.update_layout(title={"text": t("chart.routes_map", f.lang), "x": 0.99 if i18n.is_rtl(f.lang) else 0.01,
                             "xanchor": "right" if i18n.is_rtl(f.lang) else "left"},
                      margin={"t": 50}, font={"family": figures.FONT})
    return fig


CHARTS: tuple[Chart, ...] = (
    Chart("overview_by_province", "overview", "by-province",
          lambda q, f, n: figures.by_province(q("by_province"), n, lang=f.lang, measure=f.measure)),
    Chart("overview_trend", "overview", "monthly-trend",
          lambda q, f, n: _trend(q, f, n, title=t("chart.trend_short", f.lang), height=320)),
    Chart("overview_targets", "overview", "target-progress",
          lambda q, f, n: figures.targets(q("targets"), n, lang=f.lang)),
    Chart("sectors_treemap", "sectors", "by-hs-section-chapter-heading",
          lambda q, f, n: figures.sector_treemap(q("sector_breakdown"), n, lang=f.lang, measure=f.measure)),
    Chart("sectors_bars", "sectors", "by-sector",
          lambda q, f, n: figures.sector_bars(q("sector_breakdown"), n, lang=f.lang, measure=f.measure)),
    Chart("sectors_shares", "sectors", "sector-shares",
          lambda q, f, n: figures.sector_shares(q("sector_shares"), n, lang=f.lang)),
    Chart("trends_monthly", "trends", "monthly",
          lambda q, f, n: figures.mark_published(_trend(q, f, n), q("published_vs_data"), n, lang=f.lang,
                                                 date_from=f.date_from, date_to=f.date_to, measure=f.measure)),
    Chart("trends_annual", "trends", "annual",
          lambda q, f, n: figures.annual_bars(q("trend", freq="A"), lang=f.lang, measure=f.measure)),
    Chart("trends_moving_sum", "trends", "12-month-sum",
          lambda q, f, n: figures.yoy_and_moving_sum(q("trend"), lang=f.lang, calendar=f.calendar,
                                                     measure=f.measure)),
    Chart("trends_seasonality", "trends", "seasonality",
          lambda q, f, n: figures.seasonality(q("seasonality"), lang=f.lang, calendar=f.calendar)),
    Chart("trends_reported", "trends", "estimate-vs-reported",
          lambda q, f, n: figures.reported_vs_estimate(q("trend"), q("reported_trend"), lang=f.lang,
                                                       calendar=f.calendar, measure=f.measure)),
    Chart("gaps_potential", "gaps", "untapped-potential",
          lambda q, f, n: figures.potential_ranking(q("potential"), n, lang=f.lang)),
    Chart("gaps_complementarity", "gaps", "complementarity",
          lambda q, f, n: figures.complementarity(q("complementarity"), n, lang=f.lang)),
    Chart("gaps_balance", "gaps", "balance",
          lambda q, f, n: figures.balance(q("trend", freq="A"), lang=f.lang, measure=f.measure)),
    Chart("gaps_mirror", "gaps", "mirror-gaps",
          lambda q, f, n: figures.mirror_gaps(q("mirror", tau=queries.DEFAULT_TAU), n, lang=f.lang,
                                              tau=queries.DEFAULT_TAU, threshold=queries.DEFAULT_MIRROR_THRESHOLD),
          estimated=False, sources=("comtrade",)),
    Chart("gaps_targets", "gaps", "target-progress",
          lambda q, f, n: figures.targets(q("targets"), n, lang=f.lang)),
    Chart("routes_map", "routes", "routes-map", _routes_map, estimated=False, sources=("iran_customs",)),
    Chart("routes_modes", "routes", "by-transport-mode",
          lambda q, f, n: figures.modes_over_time(q("routes"), n, lang=f.lang, calendar=f.calendar,
                                                  measure=f.measure),
          estimated=False, sources=("iran_customs",)),
    Chart("routes_offices", "routes", "by-customs-office",
          lambda q, f, n: figures.modes_over_time(q("routes"), n, lang=f.lang, calendar=f.calendar,
                                                  measure=f.measure, by="customs_office"),
          estimated=False, sources=("iran_customs",)),
    Chart("data_coverage", "data", "coverage",
          lambda q, f, n: figures.coverage_matrix(q("coverage"), n, lang=f.lang, calendar=f.calendar),
          estimated=False, sources=("iran_customs", "russia_customs", "comtrade", "manual")),
)
BY_KEY = {c.key: c for c in CHARTS}


def page_charts(page: str) -> list[Chart]:
    return [c for c in CHARTS if c.page == page]

"""The standard charts: one registry read by the dashboard pages, the exports and the chart pack.

A chart carries all its outputs need: the page it sits on, its title (a locale key) and file-name
slug, the query functions that feed it (each `(warehouse, filters) -> DataFrame`, analysis.queries),
how its figure is drawn from their results, its note — how the estimate was made (read from the
data) or the mirror's τ — and its sources. Nothing outside this module knows a chart by its key;
`figure` takes a `fetch(query) -> DataFrame`, which the dashboard caches per warehouse version and
the chart pack memoises per run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis import figures, i18n, maps, margins, queries
from analysis.filters import Filters
from analysis.i18n import t
from analysis.names import Names

Query = Callable[..., pd.DataFrame]  # (warehouse, filters) -> DataFrame
Fetch = Callable[[Query], pd.DataFrame]  # query -> its result for the current warehouse and filters
ALL_SOURCES = ("iran_customs", "russia_customs", "comtrade")


@dataclass(frozen=True)
class Chart:
    key: str  # unique, e.g. "overview_by_province"
    page: str
    slug: str  # what the chart shows, for file names: "by-province"
    title: str  # locale key of the title on exports ("{tau}" is filled in)
    queries: tuple[Query, ...]
    draw: Callable[..., go.Figure]  # draw(*results of queries, f, names)
    note: str = "method"  # "method": how the estimate in view was made; "tau": the mirror's τ; "": none
    sources: tuple[str, ...] = ALL_SOURCES
    band: bool = False  # draws the estimate's likely range (80 %) as a band or whiskers

    def figure(self, fetch: Fetch, f: Filters, names: Names) -> go.Figure:
        return margins.reserve(self.draw(*(fetch(q) for q in self.queries), f, names))

    def title_text(self, lang: str) -> str:
        return t(self.title, lang, tau=i18n.fmt_percent(queries.MIRROR_TAU, lang, decimals=0))


def _trend(df, f, n, **kw):
    return figures.estimate_trend(df, lang=f.lang, calendar=f.calendar, measure=f.measure, **kw)


CHARTS: tuple[Chart, ...] = (
    Chart("overview_by_province", "overview", "by-province", "chart.by_province", (queries.by_province,),
          lambda df, f, n: figures.by_province(df, n, lang=f.lang, measure=f.measure), band=True),
    Chart("overview_trend", "overview", "monthly-trend", "chart.trend", (queries.trend,),
          lambda df, f, n: _trend(df, f, n, title=t("chart.trend_short", f.lang), height=320), band=True),
    Chart("overview_targets", "overview", "target-progress", "chart.targets", (queries.targets,),
          lambda df, f, n: figures.targets(df, n, lang=f.lang), band=True),
    Chart("sectors_treemap", "sectors", "by-hs-section-chapter-heading", "chart.treemap", (queries.sector_breakdown,),
          lambda df, f, n: figures.sector_treemap(df, n, lang=f.lang, measure=f.measure)),
    Chart("sectors_bars", "sectors", "by-sector", "chart.sectors", (queries.by_sector,),
          lambda df, f, n: figures.sector_bars(df, n, lang=f.lang, measure=f.measure), band=True),
    Chart("sectors_shares", "sectors", "sector-shares", "chart.sector_shares", (queries.sector_shares,),
          lambda df, f, n: figures.sector_shares(df, n, lang=f.lang)),
    Chart("trends_monthly", "trends", "monthly", "chart.trend", (queries.trend, queries.published_vs_data),
          lambda df, published, f, n: figures.mark_published(_trend(df, f, n), published, n, lang=f.lang,
                                                             date_from=f.date_from, date_to=f.date_to,
                                                             measure=f.measure), band=True),
    Chart("trends_annual", "trends", "annual", "chart.annual", (queries.annual_trend,),
          lambda df, f, n: figures.annual_bars(df, lang=f.lang, measure=f.measure), band=True),
    Chart("trends_moving_sum", "trends", "12-month-sum", "chart.moving_sum", (queries.trend,),
          lambda df, f, n: figures.yoy_and_moving_sum(df, lang=f.lang, calendar=f.calendar, measure=f.measure)),
    Chart("trends_seasonality", "trends", "seasonality", "chart.seasonality", (queries.seasonality,),
          lambda df, f, n: figures.seasonality(df, lang=f.lang, calendar=f.calendar)),
    Chart("trends_reported", "trends", "estimate-vs-reported", "chart.reported_vs_estimate",
          (queries.trend, queries.reported_trend),
          lambda df, reported, f, n: figures.reported_vs_estimate(df, reported, lang=f.lang, calendar=f.calendar,
                                                                  measure=f.measure)),
    Chart("gaps_potential", "gaps", "untapped-potential", "chart.potential", (queries.potential,),
          lambda df, f, n: figures.potential_ranking(df, n, lang=f.lang)),
    Chart("gaps_complementarity", "gaps", "complementarity", "chart.complementarity", (queries.complementarity,),
          lambda df, f, n: figures.complementarity(df, n, lang=f.lang)),
    Chart("gaps_rca", "gaps", "comparative-advantage", "chart.rca", (queries.rca,),
          lambda df, f, n: figures.rca_strengths(df, n, lang=f.lang), note="", sources=("iran_customs",)),
    Chart("gaps_balance", "gaps", "balance", "chart.balance", (queries.balance,),
          lambda df, f, n: figures.balance(df, lang=f.lang, measure=f.measure), band=True),
    Chart("gaps_mirror", "gaps", "mirror-gaps", "chart.mirror", (queries.mirror,),
          lambda df, f, n: figures.mirror_gaps(df, n, lang=f.lang, tau=queries.MIRROR_TAU),
          note="tau", sources=("comtrade",)),
    Chart("gaps_targets", "gaps", "target-progress", "chart.targets", (queries.targets,),
          lambda df, f, n: figures.targets(df, n, lang=f.lang), band=True),
    Chart("routes_map", "routes", "routes-map", "chart.routes_map", (queries.places, queries.routes),
          lambda places, routes, f, n: maps.routes_map(places, maps.routes_by_office(routes), lang=f.lang,
                                                       measure=f.measure),
          note="", sources=("iran_customs",)),
    Chart("routes_modes", "routes", "by-transport-mode", "chart.by_mode", (queries.routes,),
          lambda df, f, n: figures.modes_over_time(df, n, lang=f.lang, calendar=f.calendar, measure=f.measure),
          note="", sources=("iran_customs",)),
    Chart("routes_offices", "routes", "by-customs-office", "chart.by_office", (queries.routes,),
          lambda df, f, n: figures.modes_over_time(df, n, lang=f.lang, calendar=f.calendar, measure=f.measure,
                                                   by="customs_office"),
          note="", sources=("iran_customs",)),
    Chart("data_coverage", "data", "coverage", "chart.coverage", (queries.coverage,),
          lambda df, f, n: figures.coverage_matrix(df, n, lang=f.lang, calendar=f.calendar),
          note="", sources=(*ALL_SOURCES, "manual")),
)
BY_KEY = {c.key: c for c in CHARTS}

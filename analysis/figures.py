"""Figure builders: `(df, *, lang, …) -> go.Figure`, no Streamlit and no I/O.

Every text a figure shows (title, axes, legend, hover) comes through analysis.i18n in the chosen
language, numbers in its format (Persian digits in fa), months in the chosen calendar. Estimates are
drawn with their likely range (80 %: p10–p90 of each sum, marts.bilateral_sums) as bands or whiskers;
the possible range (the logical bounds) is in the hover text and, with the methods, in the data an
export reads back (`interval_data`). Coverage holes stay gaps (no line is drawn across a missing month).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis import i18n
from analysis.i18n import t
from analysis.names import Names
from analysis.style import COLORS, FONT, MODE_COLORS, PALETTE, TEMPLATE

RCA_PER_PROVINCE = 6  # products shown per province on the RCA chart


def base_layout(fig: go.Figure, title: str, lang: str, *, height: int = 420, legend: str = "top") -> go.Figure:
    """Title, fonts, number separators and legend placement; `legend="side"` for many entries beside a
    wide chart, `legend="below"` for many entries under a narrow one (the height grows with them)."""
    rtl = i18n.is_rtl(lang)
    fig.update_layout(
        title={"text": title, "x": 0.99 if rtl else 0.01, "xanchor": "right" if rtl else "left",
               "y": 0.98, "yanchor": "top"},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 60, "r": 30, "t": 90, "b": 40},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 1 if rtl else 0,
                "xanchor": "right" if rtl else "left", "font": {"size": 11}},
        hoverlabel={"font": {"family": FONT}},
        separators=",." if lang == "en" else ("٫٬" if lang == "fa" else ", "),
        template=TEMPLATE,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if legend == "side":
        fig.update_layout(legend={"orientation": "v", "yanchor": "top", "y": 1, "x": 1.02, "xanchor": "left"},
                          margin={"t": 60})
    if legend == "below":
        entries = sum(1 for trace in fig.data if trace.showlegend is not False)
        rows = -(-entries // 2)
        fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.18, "entrywidth": 0.5,
                                  "entrywidthmode": "fraction"},
                          margin={"t": 60, "b": 58 + 22 * rows}, height=height + 22 * rows)
    return fig


def value_axis(fig: go.Figure, values: list[float] | np.ndarray | pd.Series, lang: str, measure: str,
               axis: str = "yaxis") -> None:
    """Ticks in the language's compact format (Persian digits in fa) at round values."""
    arr = np.asarray(pd.Series(values, dtype="float64").dropna())
    title = t(f"axis.{measure}", lang)
    if arr.size == 0:
        fig.update_layout({axis: {"title": {"text": title}}})
        return
    lo, hi = min(0.0, float(arr.min())), max(0.0, float(arr.max()))
    ticks = nice_ticks(lo, hi)
    fig.update_layout({axis: {"title": {"text": title}, "tickmode": "array", "tickvals": ticks,
                              "ticktext": [i18n.fmt_axis(v, lang, measure) for v in ticks],
                              "range": [ticks[0], ticks[-1]]}})


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, v = [], start
    while v < hi + step * 0.999:
        ticks.append(round(v, 10))
        v += step
    return ticks


def month_axis(fig: go.Figure, dates: pd.Series, years: pd.Series, months: pd.Series, calendar: str,
               lang: str, axis: str = "xaxis", max_ticks: int = 6) -> None:
    """Month ticks labelled in the chosen calendar and language (Jalali month names in fa), the year under
    the month: on one line, six labels do not fit a half-width chart and Plotly tilts them."""
    frame = pd.DataFrame({"d": pd.to_datetime(dates), "y": years, "m": months}).drop_duplicates("d").sort_values("d")
    if frame.empty:
        return
    step = max(1, math.ceil(len(frame) / max_ticks))
    picks = frame.iloc[::step]
    fig.update_layout({axis: {"tickmode": "array", "tickvals": list(picks["d"]),
                              "ticktext": [f"{i18n.month_name(int(m), calendar, lang, short=True)}<br>"
                                           f"{i18n.year_label(int(y), lang)}"
                                           for y, m in zip(picks["y"], picks["m"], strict=True)]}})


def _hover(lang: str, label: str, values: pd.Series, measure: str, extra: list[str] | None = None) -> list[str]:
    out = []
    for i, v in enumerate(values):
        text = f"{label}: {i18n.fmt_compact(v, lang, measure)}"
        if extra:
            text += "<br>" + extra[i]
        out.append(text)
    return out


LIKELY_LEVEL = 0.8  # the interval the charts draw: p10–p90 of each sum (marts.bilateral_sums)
INTERVAL_COLUMNS = ["p10", "p90", "lower", "upper"]


def level_text(lang: str) -> str:
    return i18n.fmt_percent(LIKELY_LEVEL, lang, decimals=0)


def likely_error(value: pd.Series, p10: pd.Series, p90: pd.Series) -> dict:
    """Asymmetric error bars drawing an estimate's likely range (80 %); the bounds are not drawn."""
    return {"type": "data", "symmetric": False, "array": (p90 - value).clip(lower=0).fillna(0),
            "arrayminus": (value - p10).clip(lower=0).fillna(0), "color": "#555", "thickness": 1.5}


def methods_text(methods, lang: str) -> str:
    """A sum's methods (a list of {method, share}, as analysis/sql/estimate_by.sql gives them) in words."""
    if methods is None or not len(methods):
        return ""
    return i18n.shares_label("method", [m["method"] for m in methods], [m["share"] for m in methods], lang)


def range_lines(df: pd.DataFrame, lang: str, measure: str) -> list[str]:
    """Per row: the likely range (80 %), the possible range (the bounds) and, where known, the methods."""
    level = level_text(lang)
    methods = df["methods"] if "methods" in df else [None] * len(df)
    out = []
    for p10, p90, lo, up, m in zip(df["p10"], df["p90"], df["lower"], df["upper"], methods, strict=True):
        lines = [t("metric.likely", lang, lower=i18n.fmt_compact(p10, lang, measure),
                   upper=i18n.fmt_compact(p90, lang, measure), level=level),
                 t("metric.possible", lang, lower=i18n.fmt_compact(lo, lang, measure),
                   upper=i18n.fmt_compact(up, lang, measure))]
        text = methods_text(m, lang)
        out.append("<br>".join(lines + ([text] if text else [])))
    return out


def interval_data(df: pd.DataFrame, lang: str) -> dict:
    """Trace arguments that carry each point's 80 % interval, bounds and methods with the plotted
    data (`customdata`, named by `meta["columns"]`), so CSV/XLSX exports hold them beside x and y."""
    columns = list(INTERVAL_COLUMNS)
    values = [df[c].astype("float64").tolist() for c in columns]
    if "methods" in df:
        columns.append("method")
        values.append([methods_text(m, lang) for m in df["methods"]])
    return {"customdata": [list(row) for row in zip(*values, strict=True)], "meta": {"columns": columns}}


def empty_figure(lang: str, title: str, text: str | None = None) -> go.Figure:
    """A chart with nothing to draw: says so (`text`, or the general "no data for this selection")."""
    fig = go.Figure()
    fig.add_annotation(text=text or t("empty.no_data", lang), showarrow=False, x=0.5, y=0.5, xref="paper",
                       yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return base_layout(fig, title, lang, height=260)


def estimate_trend(df: pd.DataFrame, *, lang: str, calendar: str, measure: str, title: str | None = None,
                   height: int = 420) -> go.Figure:
    """Monthly estimate per direction as a line with its likely range (80 %) as a band (`trend`
    query); the possible range (bounds) is in the hover text and the exported data."""
    title = title or t("chart.trend", lang)
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    for flow in ("export", "import"):
        part = df[df["flow"] == flow].sort_values("month_start")
        if part.empty:
            continue
        x = pd.to_datetime(part["month_start"])
        labels = [i18n.month_label(int(y), int(m), calendar, lang) for y, m in zip(part["year"], part["month"],
                                                                                      strict=True)]
        name = t(f"flow.{flow}", lang)
        band = t("legend.likely", lang, level=level_text(lang))
        first_band = not any((tr.meta or {}).get("band_of") for tr in fig.data)  # one legend entry for both
        # the band's edges: their values are the line's p10/p90 columns in an export (meta "band_of")
        fig.add_trace(go.Scatter(x=x, y=part["p90"], mode="lines", line={"width": 0}, showlegend=False,
                                 hoverinfo="skip", name=band, meta={"band_of": name}))
        fig.add_trace(go.Scatter(x=x, y=part["p10"], mode="lines", line={"width": 0}, fill="tonexty",
                                 fillcolor=COLORS[f"band_{flow}"], name=band, hoverinfo="skip",
                                 showlegend=first_band, meta={"band_of": name}))
        value = part["value"]  # NaN in a coverage hole: the line breaks there
        fig.add_trace(go.Scatter(
            x=x, y=value, mode="lines+markers", name=name, line={"color": COLORS[flow], "width": 2},
            marker={"size": 4}, connectgaps=False,
            hovertext=[f"{lab}<br>{h}" for lab, h in zip(labels, _hover(lang, name, value, measure,
                                                                          range_lines(part, lang, measure)),
                                                         strict=True)],
            hoverinfo="text", **interval_data(part, lang)))
    month_axis(fig, df["month_start"], df["year"], df["month"], calendar, lang)
    value_axis(fig, pd.concat([df["p90"], df["value"]]), lang, measure)
    return base_layout(fig, title, lang, height=height)


def annual_bars(df: pd.DataFrame, *, lang: str, measure: str, title: str | None = None) -> go.Figure:
    """Annual estimate per direction with whiskers for its likely range (80 %) (`annual_trend`)."""
    title = title or t("chart.annual", lang)
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    for flow in ("export", "import"):
        part = df[df["flow"] == flow].sort_values("year")
        if part.empty:
            continue
        name = t(f"flow.{flow}", lang)
        years = [i18n.year_label(int(y), lang) for y in part["year"]]
        fig.add_trace(go.Bar(
            x=years, y=part["value"], name=name, marker_color=COLORS[flow],
            error_y=likely_error(part["value"], part["p10"], part["p90"]),
            hovertext=_hover(lang, name, part["value"], measure, range_lines(part, lang, measure)),
            hoverinfo="text", **interval_data(part, lang)))
    fig.update_layout(barmode="group")
    value_axis(fig, pd.concat([df["p90"], df["value"]]), lang, measure)
    return base_layout(fig, title, lang)


def by_province(df: pd.DataFrame, names: Names, *, lang: str, measure: str) -> go.Figure:
    """The estimate per province and direction with whiskers for its likely range (80 %)."""
    title = t("chart.by_province", lang)
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    for flow in ("export", "import"):
        part = df[df["flow"] == flow]
        if part.empty:
            continue
        name = t(f"flow.{flow}", lang)
        fig.add_trace(go.Bar(
            y=[names.region(c, lang) for c in part["province"]], x=part["value"], orientation="h", name=name,
            marker_color=COLORS[flow],
            error_x=likely_error(part["value"], part["p10"], part["p90"]),
            hovertext=_hover(lang, name, part["value"], measure, range_lines(part, lang, measure)),
            hoverinfo="text", **interval_data(part, lang)))
    fig.update_layout(barmode="group")
    value_axis(fig, pd.concat([df["p90"], df["value"]]), lang, measure, axis="xaxis")
    return base_layout(fig, title, lang, height=320)


def reported_vs_estimate(est: pd.DataFrame, reported: pd.DataFrame, *, lang: str, calendar: str,
                         measure: str) -> go.Figure:
    """The estimate beside what each side's customs reported (provinces↔Russia, Volgograd↔Iran)."""
    title = t("chart.reported_vs_estimate", lang)
    if est.empty and reported.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    totals = est.groupby(["month_start", "year", "month"], as_index=False)["value"].sum(min_count=1)
    fig.add_trace(go.Scatter(x=pd.to_datetime(totals["month_start"]), y=totals["value"], name=t("legend.estimate",
                             lang), line={"color": COLORS["markers"], "width": 2}, mode="lines", connectgaps=False))
    plotted = [totals["value"]]
    for source in ("iran_customs", "russia_customs"):
        part = reported[reported["source"] == source].groupby(["month_start"], as_index=False)["value"].sum()
        if part.empty:
            continue
        plotted.append(part["value"])
        fig.add_trace(go.Scatter(x=pd.to_datetime(part["month_start"]), y=part["value"],
                                 name=t(f"legend.reported_{source}", lang), mode="lines",
                                 line={"color": COLORS[source], "dash": "dot"}))
    frame = pd.concat([est[["month_start", "year", "month"]], reported[["month_start", "year", "month"]]])
    month_axis(fig, frame["month_start"], frame["year"], frame["month"], calendar, lang)
    value_axis(fig, pd.concat(plotted), lang, measure)
    return base_layout(fig, title, lang)


def yoy_and_moving_sum(df: pd.DataFrame, *, lang: str, calendar: str, measure: str) -> go.Figure:
    title = t("chart.moving_sum", lang)
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    for flow in ("export", "import"):
        part = df[df["flow"] == flow].sort_values("month_start")
        if part.empty:
            continue
        fig.add_trace(go.Scatter(x=pd.to_datetime(part["month_start"]), y=part["moving_12m"],
                                 name=t("legend.moving_12m", lang, flow=t(f"flow.{flow}", lang)),
                                 line={"color": COLORS[flow]}, connectgaps=False))
    month_axis(fig, df["month_start"], df["year"], df["month"], calendar, lang)
    value_axis(fig, df["moving_12m"], lang, measure)
    return base_layout(fig, title, lang)


def seasonality(df: pd.DataFrame, *, lang: str, calendar: str) -> go.Figure:
    title = t("chart.seasonality", lang)
    if df.empty or df["share"].isna().all():
        return empty_figure(lang, title)
    fig = go.Figure()
    for flow in ("export", "import"):
        part = df[df["flow"] == flow].sort_values("month")
        # short month names on the axis (twelve long ones do not fit a half-width chart and get tilted),
        # the full name in the hover
        fig.add_trace(go.Bar(x=[i18n.month_name(int(m), calendar, lang, short=True) for m in part["month"]],
                             y=part["share"], name=t(f"flow.{flow}", lang), marker_color=COLORS[flow],
                             hovertext=[f"{i18n.month_name(int(m), calendar, lang)}: {i18n.fmt_percent(v, lang)}"
                                        for m, v in zip(part["month"], part["share"], strict=True)],
                             hoverinfo="text+name"))
    ticks = nice_ticks(0, float(df["share"].max() or 0.1))
    fig.update_layout(barmode="group", yaxis={"tickmode": "array", "tickvals": ticks,
                                               "ticktext": [i18n.fmt_percent(v, lang, decimals=0) for v in ticks],
                                               "title": {"text": t("axis.share_of_year", lang)}})
    return base_layout(fig, title, lang)


def sector_treemap(df: pd.DataFrame, names: Names, *, lang: str, measure: str) -> go.Figure:
    """HS section → chapter → heading, sized by the estimate (`sector_breakdown`)."""
    title = t("chart.treemap", lang)
    df = df[df["value"] > 0]
    if df.empty:
        return empty_figure(lang, title)
    ids, labels, parents, values, hover = [], [], [], [], []
    root = t("chart.all_products", lang)
    ids.append("root")
    labels.append(root)
    parents.append("")
    values.append(float(df["value"].sum()))
    hover.append(i18n.fmt_compact(values[-1], lang, measure))
    for section, s_part in df.groupby("section"):
        sid = f"s-{section}"
        ids.append(sid)
        labels.append(names.section(section, lang))
        parents.append("root")
        values.append(float(s_part["value"].sum()))
        hover.append(i18n.fmt_compact(values[-1], lang, measure))
        for hs2, c_part in s_part.groupby("hs2"):
            cid = f"c-{hs2}"
            ids.append(cid)
            labels.append(f"{i18n.to_local_digits(hs2, lang)} {names.chapter(hs2, lang)}")
            parents.append(sid)
            values.append(float(c_part["value"].sum()))
            hover.append(i18n.fmt_compact(values[-1], lang, measure))
            for r in c_part.itertuples():
                ids.append(f"h-{r.code}")
                labels.append(names.product_label(r.code, lang))
                parents.append(cid)
                values.append(float(r.value))
                hover.append(i18n.fmt_compact(r.value, lang, measure))
    fig = go.Figure(go.Treemap(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
                               hovertext=hover, hoverinfo="label+text", maxdepth=3, textinfo="label"))
    return base_layout(fig, title, lang, height=520)


def sector_bars(df: pd.DataFrame, names: Names, *, lang: str, measure: str) -> go.Figure:
    """The estimate per sector (`by_sector`) with whiskers for its likely range (80 %)."""
    title = t("chart.sectors", lang)
    df = df.dropna(subset=["value"]).sort_values("value")
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure(go.Bar(
        y=[names.sector(s, lang) for s in df["sector"]], x=df["value"], orientation="h",
        marker_color=COLORS["estimate"], name=t("legend.estimate", lang),
        error_x=likely_error(df["value"], df["p10"], df["p90"]),
        hovertext=_hover(lang, t("legend.estimate", lang), df["value"], measure, range_lines(df, lang, measure)),
        hoverinfo="text", **interval_data(df, lang)))
    value_axis(fig, pd.concat([df["p90"], df["value"]]), lang, measure, axis="xaxis")
    return base_layout(fig, title, lang, height=max(300, 40 * len(df) + 120))


def sector_shares(df: pd.DataFrame, names: Names, *, lang: str) -> go.Figure:
    title = t("chart.sector_shares", lang)
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    for i, (sector, part) in enumerate(df.groupby("sector")):
        part = part.sort_values("year")
        fig.add_trace(go.Bar(x=[i18n.year_label(int(y), lang) for y in part["year"]], y=part["share"],
                             name=names.sector(sector, lang), marker_color=PALETTE[i % len(PALETTE)],
                             hovertext=[i18n.fmt_percent(v, lang) for v in part["share"]], hoverinfo="text+name"))
    ticks = [0, 0.25, 0.5, 0.75, 1.0]
    fig.update_layout(barmode="stack", yaxis={"tickmode": "array", "tickvals": ticks,
                                               "ticktext": [i18n.fmt_percent(v, lang, decimals=0) for v in ticks],
                                               "range": [0, 1]})
    return base_layout(fig, title, lang)


def potential_ranking(df: pd.DataFrame, names: Names, *, lang: str, measure: str = "usd", n: int = 12) -> go.Figure:
    """Top untapped products per province: untapped, with supply, demand and the estimate beside it."""
    title = t("chart.potential", lang)
    df = df.sort_values("untapped_usd", ascending=False).head(n).iloc[::-1]
    if df.empty:
        return empty_figure(lang, title)
    labels = [f"{names.region(p, lang)} · {names.product_label(h, lang)[:44]}"
              f" ({t('flow.' + fl, lang)})" for p, h, fl in zip(df["province"], df["hs6"], df["flow"], strict=True)]
    fig = go.Figure()
    for col, color in (("untapped_usd", COLORS["untapped"]), ("bilateral_usd", COLORS["estimate"])):
        fig.add_trace(go.Bar(y=labels, x=df[col], orientation="h", name=t(f"legend.{col}", lang),
                             marker_color=color, hovertext=_hover(lang, t(f"legend.{col}", lang), df[col], "usd"),
                             hoverinfo="text"))
    for col, symbol in (("supply_usd", "triangle-up"), ("demand_usd", "diamond")):
        fig.add_trace(go.Scatter(y=labels, x=df[col], mode="markers", name=t(f"legend.{col}", lang),
                                 marker={"symbol": symbol, "size": 9, "color": COLORS["markers"]},
                                 hovertext=_hover(lang, t(f"legend.{col}", lang), df[col], "usd"), hoverinfo="text"))
    fig.update_layout(barmode="stack")
    value_axis(fig, pd.concat([df["supply_usd"], df["demand_usd"]]), lang, "usd", axis="xaxis")
    fig = base_layout(fig, title, lang, height=max(400, 34 * len(df) + 170))
    fig.update_layout(margin={"t": 120})
    return fig


def complementarity(df: pd.DataFrame, names: Names, *, lang: str) -> go.Figure:
    title = t("chart.complementarity", lang)
    df = df.dropna(subset=["complementarity"])
    if df.empty:  # it needs the partner's mix too, which Russia's customs stopped publishing after 2022-01
        return empty_figure(lang, title, t("empty.complementarity", lang))
    fig = go.Figure()
    for (province, flow), part in df.groupby(["province", "flow"]):
        part = part.sort_values("year")
        # a year one side reported only part of (Volgograd's 2022 is January) compares part-year mixes:
        # an open marker, and the months in the hover text
        symbols, hover = [], []
        for c, p, v in zip(part["complementarity"], part["province_months"], part["partner_months"], strict=True):
            short, text = min(p, v) < 12, i18n.fmt_number(c, lang, 1)
            if short:
                text += "<br>" + t("hover.mix_months", lang, province=i18n.fmt_number(p, lang),
                                   partner=i18n.fmt_number(v, lang))
            symbols.append("circle-open" if short else "circle")
            hover.append(text)
        fig.add_trace(go.Scatter(
            x=[i18n.year_label(int(y), lang) for y in part["year"]], y=part["complementarity"], mode="lines+markers",
            name=f"{names.region(province, lang)} — {t('flow.' + flow, lang)}",
            line={"dash": "solid" if flow == "export" else "dot"},
            marker={"symbol": symbols, "size": 8},
            hovertext=hover, hoverinfo="text+name"))
    ticks = [0, 20, 40, 60, 80, 100]
    fig.update_layout(yaxis={"range": [0, 100], "tickmode": "array", "tickvals": ticks,
                             "ticktext": [i18n.fmt_number(v, lang) for v in ticks],
                             "title": {"text": t("axis.complementarity", lang)}})
    return base_layout(fig, title, lang, legend="side")


def rca_strengths(df: pd.DataFrame, names: Names, *, lang: str, n: int = RCA_PER_PROVINCE) -> go.Figure:
    """What each province's exports are strong in: its products with the highest revealed comparative
    advantage above 1 (`rca` query), one colour per province, with the line RCA = 1."""
    title = t("chart.rca", lang)
    top = df[df["rca"] > 1].sort_values("rca", ascending=False).groupby("province").head(n)
    if top.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    for i, (province, part) in enumerate(top.groupby("province", sort=True)):
        part = part.sort_values("rca")
        region = names.region(province, lang)
        fig.add_trace(go.Bar(
            y=[f"{region} · {names.product_label(h, lang)[:44]}" for h in part["hs6"]], x=part["rca"],
            orientation="h", name=region, marker_color=PALETTE[i % len(PALETTE)],
            hovertext=[t("chart.rca_hover", lang, rca=i18n.fmt_number(r, lang, 1),
                         value=i18n.fmt_compact(v, lang, "usd"), share=i18n.fmt_percent(s, lang))
                       for r, v, s in zip(part["rca"], part["value_usd"], part["share_of_province"], strict=True)],
            hoverinfo="text+y"))
    fig.add_vline(x=1, line={"color": COLORS["target"], "dash": "dash", "width": 1})
    ticks = nice_ticks(0, float(top["rca"].max()))
    fig.update_layout(xaxis={"tickmode": "array", "tickvals": ticks,
                             "ticktext": [i18n.fmt_number(v, lang, 1 if v % 1 else 0) for v in ticks],
                             "title": {"text": t("axis.rca", lang)}})
    return base_layout(fig, title, lang, height=max(380, 26 * len(top) + 170))


def mirror_gaps(df: pd.DataFrame, names: Names, *, lang: str, tau: float) -> go.Figure:
    """Relative gap (M − X(1+τ)) / X(1+τ) per HS chapter over the selected years, one bar per
    direction, as the `mirror` query computed it; flagged bars are outlined in red."""
    title = t("chart.mirror", lang, tau=i18n.fmt_percent(tau, lang, decimals=0))
    df = df.dropna(subset=["relative_gap"])  # a chapter one side does not report has no gap to draw
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    for i, ((exporter, importer), part) in enumerate(df.groupby(["exporter", "importer"])):
        part = part.sort_values("hs2")
        direction = t("legend.direction", lang, exporter=names.country(exporter, lang),
                      importer=names.country(importer, lang))
        base = PALETTE[i % 2]
        fig.add_trace(go.Bar(
            x=[f"{i18n.to_local_digits(h, lang)} {names.chapter(h, lang)[:22]}" for h in part["hs2"]],
            y=part["relative_gap"], name=direction,
            marker={"color": base, "line": {"color": [COLORS["flagged"] if flagged else base
                                                       for flagged in part["flagged"]], "width": 2}},
            hovertext=[f"{names.chapter(h, lang)}<br>X {i18n.fmt_compact(x, lang, 'usd')} · "
                       f"M {i18n.fmt_compact(m, lang, 'usd')}<br>{i18n.fmt_percent(g, lang, signed=True)}"
                       for h, x, m, g in zip(part["hs2"], part["x_usd"], part["m_usd"], part["relative_gap"],
                                             strict=True)],
            hoverinfo="text"))
    gaps = df["relative_gap"].dropna()
    ticks = nice_ticks(min(float(gaps.min()), 0) if len(gaps) else 0, max(float(gaps.max()), 0) if len(gaps) else 0)
    fig.update_layout(barmode="group", yaxis={"tickmode": "array", "tickvals": ticks,
                                               "ticktext": [i18n.fmt_percent(v, lang, decimals=0, signed=True)
                                                            for v in ticks],
                                               "title": {"text": t("axis.relative_gap", lang)}},
                      xaxis={"tickangle": -35})
    return base_layout(fig, title, lang, height=460)


def balance(df: pd.DataFrame, *, lang: str, measure: str) -> go.Figure:
    """Annual balance (exports − imports of the provinces with the partner) with whiskers for its
    likely range (80 %) (`balance` query); the range its bounds allow is in the hover and the data."""
    title = t("chart.balance", lang)
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure(go.Bar(
        x=[i18n.year_label(int(y), lang) for y in df["year"]], y=df["value"], marker_color=COLORS["balance"],
        name=t("metric.balance", lang),
        error_y=likely_error(df["value"], df["p10"], df["p90"]),
        hovertext=_hover(lang, t("metric.balance", lang), df["value"], measure, range_lines(df, lang, measure)),
        hoverinfo="text", **interval_data(df, lang)))
    value_axis(fig, pd.concat([df["p10"], df["p90"], df["value"]]), lang, measure)
    return base_layout(fig, title, lang)


def targets(df: pd.DataFrame, names: Names, *, lang: str) -> go.Figure:
    title = t("chart.targets", lang)
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    for _, part in df.groupby("target_id"):
        part = part.sort_values("year")
        years = [i18n.year_label(int(y), lang) for y in part["year"]]
        intervals = part.rename(columns={f"{c}_usd": c for c in INTERVAL_COLUMNS})
        label = t("legend.target_pair", lang, a=names.region(part["reporter_region"].iloc[0], lang),
                  b=names.region(part["partner_region"].iloc[0], lang))
        fig.add_trace(go.Bar(
            x=years, y=part["estimate_usd"], name=label, marker_color=COLORS["estimate"],
            error_y=likely_error(part["estimate_usd"], part["p10_usd"], part["p90_usd"]),
            hovertext=[f"{i18n.fmt_compact(v, lang, 'usd')} ({i18n.fmt_percent(s, lang)} "
                       f"{t('legend.of_target', lang)})<br>{r}"
                       for v, s, r in zip(part["estimate_usd"], part["share_of_target"],
                                          range_lines(intervals, lang, "usd"), strict=True)],
            hoverinfo="text", **interval_data(intervals, lang)))
        fig.add_trace(go.Scatter(x=years, y=part["target_usd"], mode="lines", name=t("legend.target", lang),
                                 line={"color": COLORS["target"], "dash": "dash"}))
    value_axis(fig, pd.concat([df["target_usd"], df["p90_usd"], df["estimate_usd"]]), lang, "usd")
    return base_layout(fig, title, lang)


def modes_over_time(df: pd.DataFrame, names: Names, *, lang: str, calendar: str, measure: str,
                    by: str = "transport_mode") -> go.Figure:
    """Reported trade of the provinces with Russia by transport mode (or customs office) per month."""
    title = t("chart.by_mode" if by == "transport_mode" else "chart.by_office", lang)
    if df.empty:
        return empty_figure(lang, title)
    fig = go.Figure()
    label = names.mode if by == "transport_mode" else names.office
    grouped = df.groupby(["month_start", "year", "month", by], as_index=False, dropna=False)["value"].sum()
    for i, (key, part) in enumerate(grouped.groupby(by, dropna=False)):
        key = key if isinstance(key, str) else "unknown"
        color = MODE_COLORS.get(key) if by == "transport_mode" else PALETTE[i % len(PALETTE)]
        fig.add_trace(go.Bar(x=pd.to_datetime(part["month_start"]), y=part["value"], name=label(key, lang),
                             marker_color=color, hovertext=_hover(lang, label(key, lang), part["value"], measure),
                             hoverinfo="text"))
    fig.update_layout(barmode="stack")
    month_axis(fig, grouped["month_start"], grouped["year"], grouped["month"], calendar, lang)
    totals = grouped.groupby("month_start")["value"].sum()
    value_axis(fig, totals, lang, measure)
    return base_layout(fig, title, lang, legend="top" if by == "transport_mode" else "below")


def coverage_matrix(df: pd.DataFrame, names: Names, *, lang: str, calendar: str) -> go.Figure:
    """Source × reporter × flow against months: reported monthly, annual only, or missing."""
    title = t("chart.coverage", lang)
    if df.empty:
        return empty_figure(lang, title)
    df = df.copy()
    df["row"] = [f"{t('source.' + s, lang)} · {names.region_or_country(r, lang)} · {t('flow.reporter_' + f, lang)}"
                 for s, r, f in zip(df["source"], df["reporter"], df["flow"], strict=True)]
    code = {"missing": 0, "annual": 1, "monthly": 2}
    wide = df.pivot_table(index="row", columns="month_start", values="status",
                          aggfunc=lambda s: code[s.iloc[0]]).sort_index()
    months = sorted(df["month_start"].unique())
    ym = df.drop_duplicates("month_start").set_index("month_start")[["year", "month"]]
    fig = go.Figure(go.Heatmap(
        z=wide.values, x=pd.to_datetime(wide.columns), y=list(wide.index), zmin=0, zmax=2,
        colorscale=[[0, "#f4cccc"], [0.33, "#f4cccc"], [0.34, "#fce8b2"], [0.66, "#fce8b2"], [0.67, "#b7e1cd"],
                    [1, "#b7e1cd"]],
        colorbar={"tickmode": "array", "tickvals": [0.33, 1, 1.67],
                  "ticktext": [t("coverage.missing", lang), t("coverage.annual", lang), t("coverage.monthly", lang)]},
        hoverinfo="skip", xgap=1, ygap=2))
    month_axis(fig, pd.Series(months), ym.loc[months, "year"].reset_index(drop=True),
               ym.loc[months, "month"].reset_index(drop=True), calendar, lang)
    fig.update_layout(yaxis={"automargin": True})
    return base_layout(fig, title, lang, height=max(320, 28 * len(wide) + 140))


def mark_published(fig: go.Figure, published: pd.DataFrame, names: Names, *, lang: str, date_from, date_to,
                   measure: str) -> go.Figure:
    """Mark published figures (press, officials) on a time series: a dotted line at the end of each
    figure's period inside the shown range, and a ▼ at the top that links to the source."""
    if published.empty:
        return fig
    rows = published.dropna(subset=["period_end"])
    rows = rows[(pd.to_datetime(rows["period_end"]) >= pd.Timestamp(date_from))
                & (pd.to_datetime(rows["period_end"]) <= pd.Timestamp(date_to))]
    shapes, notes = list(fig.layout.shapes), list(fig.layout.annotations)
    for r in rows.itertuples():
        end = pd.Timestamp(r.period_end)
        value = (i18n.fmt_compact(r.published_usd, lang, "usd") if pd.notna(r.published_usd)
                 else i18n.fmt_compact(r.published_kg, lang, "kg") if pd.notna(r.published_kg) else "")
        what = (f"{names.region_or_country(r.reporter_code, lang)} → {names.region_or_country(r.partner_code, lang)}"
                f" · {t('published_flow.' + r.flow, lang)} · {i18n.to_local_digits(r.period or '', lang)} · {value}")
        # the line as add_vline draws it, but all lines set at once: add_vline and add_annotation validate
        # every shape and note added before, which made this the slowest figure of the dashboard
        shapes.append({"type": "line", "x0": end, "x1": end, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
                       "line": {"color": "#9e9e9e", "width": 1, "dash": "dot"}})
        notes.append({"x": end, "y": 1.0, "yref": "paper", "yanchor": "top", "showarrow": False,
                      "text": f'<a href="{r.url}" target="_blank">▼</a>', "font": {"color": "#616161", "size": 12},
                      "hovertext": f"{t('legend.published', lang)}: {what}"})
    fig.update_layout(shapes=shapes, annotations=notes)
    return fig

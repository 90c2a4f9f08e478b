"""The controls beside every page: the language of the URL, the filter widgets in the sidebar, and
the URL kept in step with them (so a copied link reopens the same view)."""

from __future__ import annotations

import re

import streamlit as st

from analysis import i18n
from analysis.filters import Allowed, Filters
from analysis.i18n import t
from analysis.names import Names
from etl.periods import calendar_months

FLOWS = ("both", "export", "import")
CALENDARS = ("gregorian", "jalali")
HS_LEVELS = (2, 4, 6)
MEASURES = ("usd", "kg")


def url_lang() -> str:
    """The language the URL asks for (English when it asks for none or for one we do not have)."""
    values = st.query_params.get_all("lang")
    return values[0] if values and values[0] in i18n.LANGS else "en"


def sidebar(f: Filters, allowed: Allowed, names: Names) -> Filters:
    """Filter widgets showing the URL's values; what the user picks becomes the new filters."""
    sb = st.sidebar
    lang = sb.selectbox(t("filter.language", f.lang), i18n.LANGS, index=i18n.LANGS.index(f.lang),
                        format_func=i18n.LANG_NAMES.get)
    L = lang  # labels in the language just chosen
    sb.header(t("filter.heading", L))
    provinces = sb.multiselect(t("filter.provinces", L), allowed.provinces, default=list(f.provinces),
                               format_func=lambda c: names.region(c, L))
    flow = sb.radio(t("filter.flow", L), FLOWS, index=FLOWS.index(f.flow), format_func=lambda v: t(f"flow.{v}", L))
    calendar = sb.radio(t("filter.calendar", L), CALENDARS, index=CALENDARS.index(f.calendar),
                        format_func=lambda v: t(f"calendar.{v}", L), horizontal=True)
    months = _month_options(allowed, calendar)
    start, end = _month_range(f, calendar, months)
    month_from, month_to = sb.select_slider(
        t("filter.period", L), options=[m for m, _, _ in months], value=(start, end),
        format_func=lambda m: _month_text(m, calendar, L))
    sectors = sb.multiselect(t("filter.sectors", L), allowed.sectors, default=list(f.sectors),
                             format_func=lambda s: names.sector(s, L), placeholder=t("filter.sectors_all", L))
    hs = sb.radio(t("filter.hs", L), HS_LEVELS, index=HS_LEVELS.index(f.hs), format_func=lambda v: t(f"hs.{v}", L))
    measure = sb.radio(t("filter.measure", L), MEASURES, index=MEASURES.index(f.measure),
                       format_func=lambda v: t(f"measure.{v}", L), horizontal=True)
    chosen = {"lang": lang, "provinces": ",".join(provinces) or ",".join(allowed.provinces), "flow": flow,
              "from": month_from, "to": month_to, "sectors": ",".join(sectors), "hs": str(hs), "measure": measure,
              "calendar": calendar}
    new, _ = Filters.from_query(chosen, allowed)
    return new


def _month_options(allowed: Allowed, calendar: str) -> list[tuple[str, int, int]]:
    """Every month of the data's span in the calendar: (label 'YYYY-MM', year, month)."""
    first, last = allowed.first_day, allowed.last_day
    return [(label, y, m) for cal, start, end, y, m, label in calendar_months()
            if cal == calendar and first is not None and end >= first and start <= last]


def _month_range(f: Filters, calendar: str, months: list[tuple[str, int, int]]) -> tuple[str, str]:
    labels = [m for m, _, _ in months]
    if f.calendar == calendar and f.month_from in labels and f.month_to in labels:
        return f.month_from, f.month_to
    # the months of this calendar that overlap the filter's dates (a Jalali month may straddle them)
    overlap = [label for cal, start, end, _, _, label in calendar_months()
               if cal == calendar and label in labels and end >= f.date_from and start <= f.date_to]
    return (overlap[0], overlap[-1]) if overlap else (labels[0], labels[-1])


def _month_text(label: str, calendar: str, lang: str) -> str:
    year, month = label.split("-")
    return i18n.month_label(int(year), int(month), calendar, lang, short=True)


def sync_url(f: Filters) -> None:
    """Write the filters into the URL when it says anything else."""
    wanted = f.to_query()
    current = {k: st.query_params.get(k) for k in wanted}
    if current != wanted or set(st.query_params.keys()) - set(wanted):
        st.query_params.from_dict(wanted)


def md_code(text: str) -> str:
    """Text as a Markdown code span: shown verbatim, never turned into a link or formatting."""
    return "`" + re.sub(r"[`\r\n]", " ", str(text)) + "`"

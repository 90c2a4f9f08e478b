"""UN Comtrade (API v1 JSON) files of the sample: Iran (364) <-> Russia (643), HS 6-digit.

As in reality, Russia stopped reporting from 2022 (its records cover 2019–2021) and Iran reports
with a lag (2019–2024, nothing yet for 2025). A national figure is the sum of every declaration
of the reporter — the Volgograd ones as FCS records them, the other regions', and up to 3 % that
no region holds — imports CIF, exports FOB, rounded to whole dollars.

Both reporters give annual records (freqCode A). Russia also gave Comtrade its monthly records
until it stopped (freqCode M, period 201901 .. 202112, refMonth 1–12): the same declarations by the
month they were declared (so Volgograd's late declarations fall in the month FCS counts them), with
the year's unassigned share on each month, each month rounded to whole dollars on its own (so the
twelve months can differ from the annual record by a few dollars, as Comtrade's two series do). A
month without trade in a product has no record, as on Comtrade. Iran's monthly records are not
written: Iran has not given Comtrade monthly data for these years.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from etl.sample.catalogue import PRODUCTS, YEARS
from etl.sample.model import Model

COUNTRIES = {364: ("IRN", "Iran"), 643: ("RUS", "Russian Federation")}
REPORTED = {643: range(2019, 2022), 364: range(2019, 2025)}  # reporter -> years on Comtrade
MONTHLY = (643,)  # reporters that also gave Comtrade their months (freqCode M) for those years


def national(m: Model, reporter: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(USD [K, years], kg [K, years], years) as the reporter declares its trade with the other."""
    val, kg = (m.russia_val, m.russia_kg) if reporter == 643 else (m.iran_val, m.iran_kg)
    years = list(REPORTED[reporter])
    gy = m.grid.gy
    v = np.stack([val[:, gy == y].sum(axis=1) for y in years], axis=1)
    w = np.stack([kg[:, gy == y].sum(axis=1) for y in years], axis=1)
    extra = 1 + m.unassigned[0 if reporter == 643 else 1][:, np.array(years) - YEARS[0]]
    return np.floor(v * extra + 0.5), np.floor(w * extra + 0.5), years


def monthly(m: Model, reporter: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(USD [K, months], kg [K, months], index of each month in m.grid.greg) as the reporter declares
    its trade with the other, month by month, over its Comtrade years."""
    years = np.array(list(REPORTED[reporter]))
    val, kg = (m.russia_val, m.russia_kg) if reporter == 643 else (m.iran_val, m.iran_kg)
    months = np.flatnonzero(np.isin(m.grid.gy, years))
    extra = 1 + m.unassigned[0 if reporter == 643 else 1][:, m.grid.gy[months] - YEARS[0]]
    return np.floor(val[:, months] * extra + 0.5), np.floor(kg[:, months] * extra + 0.5), months


def write(m: Model, out: Path) -> list[Path]:
    folder = out / "comtrade"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for rep in (364, 643):
        val, kg, years = national(m, rep)
        recs = []
        for k, (flow, hs6) in enumerate(m.groups):
            for i, y in enumerate(years):
                recs.append(_record(rep, _partner(rep), _flow_code(flow, rep), hs6, y, float(val[k, i]),
                                    float(kg[k, i])))
        recs.sort(key=lambda r: (r["refYear"], r["flowCode"], r["cmdCode"]))
        written.append(_write_response(folder / f"synthetic_comtrade_{rep}_{COUNTRIES[rep][0]}_{years[0]}-{years[-1]}"
                                       ".json", recs))
    for rep in MONTHLY:
        val, kg, months = monthly(m, rep)
        recs = []
        for k, (flow, hs6) in enumerate(m.groups):
            for i, g in enumerate(months):
                if val[k, i] > 0:
                    recs.append(_record(rep, _partner(rep), _flow_code(flow, rep), hs6, int(m.grid.gy[g]),
                                        float(val[k, i]), float(kg[k, i]), month=int(m.grid.gm[g])))
        recs.sort(key=lambda r: (r["refYear"], r["refMonth"], r["flowCode"], r["cmdCode"]))
        first, last = recs[0]["period"], recs[-1]["period"]
        written.append(_write_response(folder / f"synthetic_comtrade_{rep}_{COUNTRIES[rep][0]}_{first}-{last}"
                                       "_monthly.json", recs))
    return written


def _partner(rep: int) -> int:
    return 643 if rep == 364 else 364


def _flow_code(flow: str, rep: int) -> str:
    """Comtrade's flow code of an Iranian-side flow as `rep` reports it: Iran's exports are Russia's imports."""
    return "X" if (flow == "export") == (rep == 364) else "M"


def _write_response(path: Path, recs: list[dict]) -> Path:
    """The records as an API v1 response body, one record a line."""
    body = ",\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in recs)
    path.write_text(f'{{"elapsedTime":"0.00 secs","count":{len(recs)},"data":[\n{body}\n],"error":""}}\n',
                    encoding="utf-8")
    return path


def _record(rep: int, par: int, flow: str, hs6: str, year: int, value: float, kg: float,
            month: int | None = None) -> dict:
    """One record; `month` (1–12) makes it a monthly one (freqCode M, period YYYYMM), else annual."""
    r_iso, r_desc = COUNTRIES[rep]
    p_iso, p_desc = COUNTRIES[par]
    period = {"freqCode": "A", "refPeriodId": year * 10000 + 101, "refYear": year, "refMonth": 52,
              "period": str(year)} if month is None else {
              "freqCode": "M", "refPeriodId": year * 10000 + month * 100 + 1, "refYear": year, "refMonth": month,
              "period": f"{year}{month:02d}"}
    return {
        "typeCode": "C", **period, "reporterCode": rep, "reporterISO": r_iso, "reporterDesc": r_desc,
        "flowCode": flow, "flowDesc": "Export" if flow == "X" else "Import",
        "partnerCode": par, "partnerISO": p_iso, "partnerDesc": p_desc,
        "partner2Code": 0, "partner2ISO": "W00", "partner2Desc": "World",
        "classificationCode": "H6", "classificationSearchCode": "HS", "isOriginalClassification": True,
        "cmdCode": hs6, "cmdDesc": PRODUCTS[hs6][1], "aggrLevel": 6, "isLeaf": True,
        "customsCode": "C00", "customsDesc": "TOTAL CPC", "mosCode": "0", "motCode": 0, "motDesc": "TOTAL MOT",
        "qtyUnitCode": 8, "qtyUnitAbbr": "kg", "qty": kg, "isQtyEstimated": False,
        "altQtyUnitCode": -1, "altQtyUnitAbbr": "N/A", "altQty": None, "isAltQtyEstimated": False,
        "netWgt": kg, "isNetWgtEstimated": False, "grossWgt": None, "isGrossWgtEstimated": False,
        "cifvalue": value if flow == "M" else None, "fobvalue": value if flow == "X" else None,
        "primaryValue": value, "legacyEstimationFlag": 0, "isReported": True, "isAggregate": False,
    }

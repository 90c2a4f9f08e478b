"""Write tiny raw files in the real source formats, for given-rows / expected-rows tests."""

from __future__ import annotations

import json
from pathlib import Path

IRAN_HEADER = "نوع جریان,استان,گمرک,کد تعرفه,کشور طرف معامله,سال,ماه,وزن خالص (کیلوگرم),ارزش دلاری"
RUSSIA_HEADER = "NAPR,PERIOD,STRANA,TNVED,EDIZM,STOIM,NETTO,KOL,REGION,REGION_S"
VOLGOGRAD = "18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ,04-ЮЖНЫЙ ФЕДЕРАЛЬНЫЙ ОКРУГ"
PROVINCE_FA = {"IR-01": "گیلان", "IR-02": "مازندران", "IR-27": "گلستان", "IR-03": "آذربایجان شرقی"}
FLOW_FA = {"export": "صادرات", "import": "واردات"}
M49 = {"IR": 364, "RU": 643}


def iran(path: Path, rows: list[dict]) -> None:
    """rows: province, flow, hs8, partner (Persian name), jyear, jmonth, kg, usd, office (optional)"""
    lines = [IRAN_HEADER] + [
        ",".join([FLOW_FA[r["flow"]], PROVINCE_FA[r["province"]], r.get("office", ""), r["hs8"],
                  r.get("partner", "روسیه"), str(r["jyear"]), str(r["jmonth"]), str(r.get("kg", 1000)), str(r["usd"])])
        for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def russia(path: Path, rows: list[dict]) -> None:
    """rows: flow ('import'|'export'), period ('01/2024'), country, tnved, usd, kg"""
    napr = {"import": "ИМ", "export": "ЭК"}
    lines = [RUSSIA_HEADER] + [
        f"{napr[r['flow']]},{r['period']},{r.get('country', 'IR')},{r['tnved']},КГ,{r['usd']},{r.get('kg', 1000)},"
        f"{r.get('kg', 1000)},{VOLGOGRAD}" for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def comtrade(path: Path, rows: list[dict]) -> None:
    """rows: reporter ('IR'|'RU'), partner, flow ('X'|'M'), year, hs6, usd, month (optional: a monthly record)"""
    data = []
    for r in rows:
        cif = r["flow"] == "M"
        month = r.get("month")
        data.append({
            "typeCode": "C", "freqCode": "M" if month else "A", "refYear": r["year"], "refMonth": month or 52,
            "period": f"{r['year']}{month:02d}" if month else str(r["year"]),
            "reporterCode": M49[r["reporter"]], "flowCode": r["flow"], "partnerCode": M49[r["partner"]],
            "partner2Code": 0, "cmdCode": r["hs6"], "customsCode": "C00", "motCode": 0,
            "netWgt": r.get("kg"), "qty": None, "qtyUnitAbbr": "N/A",
            "cifvalue": r["usd"] if cif else None, "fobvalue": None if cif else r["usd"], "primaryValue": r["usd"]})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"count": len(data), "data": data}), encoding="utf-8")


def manual(path: Path, rows: list[dict]) -> None:
    header = ("source_note,url,reporter_country,reporter_region,partner_country,partner_region,flow,hs_code,period,"
              "calendar,value_usd,net_kg")
    lines = [header] + [
        ",".join(["test", "", r["reporter_country"], r.get("reporter_region", ""), r["partner_country"],
                  r.get("partner_region", ""), r["flow"], r.get("hs_code", ""), r["period"],
                  r.get("calendar", "gregorian"), str(r["usd"]), ""])
        for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

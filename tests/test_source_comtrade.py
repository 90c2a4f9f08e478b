"""The UN Comtrade adapter on tiny real-format files, and on a real API response."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.reference import Reference
from etl.sources import comtrade, manual
from etl.staging import STAGING_COLUMNS, FileError
from etl.text import MAX_NUMBER, parse_numbers
from tests.rows import as_tuples, head

FIXTURES = Path(__file__).parent / "fixtures" / "comtrade"
REAL = Path(__file__).resolve().parents[2] / "shared/reference/real/comtrade_v1_get_C_A_HS.json"

COLS = ["row", "reporter_country", "partner_country", "flow", "hs_code", "period_start", "period_end", "freq",
        "period_label", "value_usd", "value_basis", "net_kg", "qty", "qty_unit", "transport_mode", "flags"]
Y2022 = ("2022-01-01", "2022-12-31", "A", "2022")
Y2021 = ("2021-01-01", "2021-12-31", "A", "2021")

# fixture -> (expected rows as COLS tuples, expected rejects as (row, column), total_rows)
EXPECTED = {
    "annual_hs6_iran_russia.json": ([
        (1, "IR", "RU", "export", "080610", *Y2022, 1234567.0, "FOB", 987654.0, 987654.0, "kg", None, None),
        (2, "IR", "RU", "export", "070200", *Y2022, 2500000.5, "FOB", 3100000.0, None, None, None, None),
        (3, "IR", "RU", "export", "081320", *Y2022, 450000.0, "FOB", 120000.0, None, None, None, None),
        # neither cifvalue nor fobvalue set
        (4, "IR", "RU", "export", "390120", *Y2022, 8800000.0, "unknown", 7000000.0, None, None, None, None),
        # both set: primaryValue equals cifvalue
        (5, "IR", "RU", "import", "100199", *Y2022, 15000000.0, "CIF", 52000000.0, None, None, None, None),
        # row 6 is a re-export (RX): skipped, neither loaded nor rejected
        (7, "RU", "IR", "import", "080610", *Y2022, 1300000.0, "CIF", 1000000.0, None, None, None, None),
        (8, "RU", "IR", "export", "100199", *Y2022, 14000000.0, "FOB", 51000000.0, 51000000.0, "kg", None, None),
    ], [], 7),
    "monthly_hs6.json": ([
        (1, "RU", "IR", "export", "100199", "2023-01-01", "2023-01-31", "M", "202301", 500000.0, "FOB",
         2000000.0, 2000000.0, "kg", "sea", None),
        (2, "RU", "IR", "export", "151211", "2023-05-01", "2023-05-31", "M", "202305", 300000.25, "FOB",
         250000.0, None, None, "rail", None),
        (3, "RU", "IR", "import", "080610", "2023-12-01", "2023-12-31", "M", "202312", 45000.0, "CIF",
         30000.0, None, None, "road", None),
        # this record's keys are upper-case
        (4, "RU", "IR", "import", "070200", "2023-02-01", "2023-02-28", "M", "202302", 1000.0, "CIF",
         None, None, None, "inland_water", None),
    ], [], 4),
    "export_mixed_case_cp1252.csv": ([
        (2, "IR", "RU", "export", "080212", "2021-01-01", "2021-12-31", "A", "2021", 310000.0, "FOB",
         50000.0, 50000.0, "kg", None, None),
        (3, "IR", "CI", "export", "392010", "2021-01-01", "2021-12-31", "A", "2021", 2500.75, "FOB",
         1000.0, 1000.0, "kg", None, None),
        (4, "IR", "RU", "import", "440711", "2021-01-01", "2021-12-31", "A", "2021", 900000.0, "CIF",
         600000.0, 1200.0, "m³", None, None),
        (5, "IR", "RU", "export", None, "2021-01-01", "2021-12-31", "A", "2021", 1500000000.0, "FOB",
         None, None, None, None, "total"),
    ], [], 4),
    "total_and_world.json": ([
        (1, "IR", "W00", "export", None, "2020-01-01", "2020-12-31", "A", "2020", 7e10, "FOB",
         None, None, None, None, "total"),
        (2, "IR", "RU", "export", None, "2020-01-01", "2020-12-31", "A", "2020", 9e8, "FOB",
         None, None, None, None, "total"),
        (3, "IR", "RU", "export", "080610", "2020-01-01", "2020-12-31", "A", "2020", 1e6, "FOB",
         800000.0, None, None, None, None),
        (4, "IR", "W00", "import", None, "2020-01-01", "2020-12-31", "A", "2020", 4e10, "CIF",
         None, None, None, None, "total"),
    ], [], 4),
    "breakdowns.json": ([
        # rows 2-5 detail row 1 by mode, second partner and customs procedure: skipped
        (1, "IR", "RU", "export", "080610", *Y2021, 1000000.0, "FOB", None, None, None, None, None),
        # row 7 (2100 sea) details row 6 (2000 water): skipped; road is not under water: kept
        (6, "IR", "RU", "export", "070200", *Y2021, 300000.0, "FOB", None, None, None, "sea", None),
        (8, "IR", "RU", "export", "070200", *Y2021, 100000.0, "FOB", None, None, None, "road", None),
    ], [], 3),
}


def test_every_fixture_has_expectations():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_fixture(path: Path, ref: Reference):
    assert comtrade.sniff(path, head(path))
    assert not manual.sniff(path, head(path))
    result = comtrade.read(path, f"comtrade/{path.name}", ref)
    rows, rejects, total = EXPECTED[path.name]
    assert as_tuples(result.rows, COLS) == rows
    assert [(r.row, r.column) for r in result.rejects] == rejects
    assert all(r.file == f"comtrade/{path.name}" and r.reason for r in result.rejects)
    assert result.total_rows == total == len(result.rows) + len(result.rejects)
    staged = result.rows
    assert list(staged.columns) == list(STAGING_COLUMNS)
    assert {c: str(t) for c, t in staged.dtypes.items()} == STAGING_COLUMNS
    assert (staged["source"] == "comtrade").all() and (staged["file"] == f"comtrade/{path.name}").all()
    assert (staged["calendar"] == "gregorian").all() and (staged["currency_native"] == "USD").all()
    assert staged["value_native"].equals(staged["value_usd"])
    assert staged["reporter_region"].isna().all() and staged["partner_region"].isna().all()


def write_records(folder: Path, records: list[dict]) -> Path:
    path = folder / "records.json"
    path.write_text(json.dumps({"count": len(records), "data": records, "error": ""}), encoding="utf-8")
    return path


def test_bad_rows_are_rejected_with_row_column_and_value(tmp_path: Path, ref: Reference):
    good = json.loads((FIXTURES / "annual_hs6_iran_russia.json").read_text(encoding="utf-8"))["data"][0]
    changes = [
        {},  # row 1 loads
        {"partnerCode": 999},
        {"primaryValue": -5.0},
        {"primaryValue": None},
        {"refMonth": 13, "freqCode": "M"},
        {"cmdCode": "80610"},  # a lost leading zero
        {"reporterCode": 1},
        {"flowCode": ""},
        {"motCode": "sea"},
        {"netWgt": "n/a"},
        # a second-partner breakdown whose total row is not in the file
        {"cmdCode": "081320", "partner2Code": 398},
        {"cmdCode": "081330", "customsCode": "C01"},
    ]
    path = write_records(tmp_path, [good | change for change in changes])
    result = comtrade.read(path, "comtrade/records.json", ref)
    assert result.rows["row"].tolist() == [1] and result.total_rows == len(changes)
    assert [(r.file, r.row, r.column, r.value) for r in result.rejects] == [
        ("comtrade/records.json", 2, "partnerCode", "999"),
        ("comtrade/records.json", 3, "primaryValue", "-5"),
        ("comtrade/records.json", 4, "primaryValue", None),
        ("comtrade/records.json", 5, "refMonth", "13"),
        ("comtrade/records.json", 6, "cmdCode", "80610"),
        ("comtrade/records.json", 7, "reporterCode", "1"),
        ("comtrade/records.json", 8, "flowCode", ""),
        ("comtrade/records.json", 9, "motCode", "sea"),
        ("comtrade/records.json", 10, "netWgt", "n/a"),
        ("comtrade/records.json", 11, "partner2Code", "398"),
        ("comtrade/records.json", 12, "customsCode", "C01"),
    ]
    assert "M49" in result.rejects[0].reason
    assert "records.json, row 6, column 'cmdCode': got '80610'" in result.rejects[4].message()


def test_only_exports_and_imports_are_loaded(tmp_path: Path, ref: Reference):
    good = json.loads((FIXTURES / "annual_hs6_iran_russia.json").read_text(encoding="utf-8"))["data"][0]
    flows = ["X", "M", "RX", "RM", "DX", "FM"]
    result = comtrade.read(write_records(tmp_path, [good | {"flowCode": f} for f in flows]), "r.json", ref)
    assert result.rows["flow"].tolist() == ["export", "import"]
    assert result.rejects == [] and result.total_rows == 2


@pytest.mark.skipif(not REAL.exists(), reason=f"real Comtrade response not present at {REAL}")
def test_real_api_response(ref: Reference):
    records = json.loads(REAL.read_text(encoding="utf-8"))["data"]
    assert comtrade.sniff(REAL, head(REAL))
    result = comtrade.read(REAL, REAL.name, ref)
    rows = result.rows
    assert result.rejects == [] and result.total_rows == len(records) == len(rows)
    assert rows["value_usd"].sum() == pytest.approx(sum(r["primaryValue"] for r in records))
    assert set(rows["reporter_country"]) == {"CN"} and set(rows["partner_country"]) == {"AR", "DE"}
    assert (rows["value_basis"] == rows["flow"].map({"import": "CIF", "export": "FOB"})).all()
    assert rows["hs_code"].isna().all() and (rows["flags"] == "total").all()
    assert set(rows["period_label"]) == {"2010"} and (rows["freq"] == "A").all()
    assert rows["transport_mode"].isna().all()  # motCode 0 = all modes


def test_json_with_no_records_loads_nothing(tmp_path: Path, ref: Reference):
    path = tmp_path / "empty.json"
    path.write_text('{"count": 0, "data": [], "error": ""}', encoding="utf-8")
    result = comtrade.read(path, "empty.json", ref)
    assert len(result.rows) == 0 and result.rejects == [] and result.total_rows == 0


@pytest.mark.parametrize("text", ['[{"refYear": 2021}]', '{"data": {"refYear": 2021}}', '{"data": [1, 2]}', "{oops"])
def test_json_without_a_data_list_is_refused(tmp_path: Path, ref: Reference, text: str):
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError):
        comtrade.read(path, "odd.json", ref)


def test_csv_without_partner_column_is_refused(tmp_path: Path, ref: Reference):
    path = tmp_path / "short.csv"
    path.write_text("refYear,reporterCode,flowCode,cmdCode,primaryValue\n2021,364,X,0806,10\n", encoding="utf-8")
    with pytest.raises(FileError, match="partnerCode"):
        comtrade.read(path, "short.csv", ref)


@given(st.floats(min_value=0, max_value=MAX_NUMBER, allow_nan=False))
def test_json_numbers_survive_the_text_round_trip(x: float):
    values, bad = parse_numbers(pd.Series([comtrade._json_text(x)], dtype="string"))
    assert not bad.iloc[0] and values.iloc[0] == x

"""Iranian and Russian customs adapters: every fixture variant against its expected rows, rejects and
warnings (tests/expected_rows.py), through the whole check a refresh runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl import sources
from etl.sources import iran_customs
from tests.conftest import FIXTURES
from tests.expected_rows import given, load_expected, load_expected_rejects, load_expected_warnings

CASES = sorted(p for m in ("russia_customs", "iran_customs") for p in (FIXTURES / m).glob("*.*"))
PARTLY_BAD = sorted((FIXTURES / "partly_bad").glob("*.*"))


@pytest.mark.parametrize("path", CASES + PARTLY_BAD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_gives_expected_rows_rejects_and_warnings(path: Path, ref):
    adapter = sources.detect(path, path.name)
    if path.parent.name != "partly_bad":
        assert adapter.NAME == path.parent.name  # detected by content, not by folder
    report, rows, rejects, warnings = given(path, ref)
    assert report.status == "loaded", report.message
    pd.testing.assert_frame_equal(rows, load_expected(path))
    pd.testing.assert_frame_equal(rejects, load_expected_rejects(path))
    pd.testing.assert_frame_equal(warnings, load_expected_warnings(path))
    assert report.rows_total == len(rows) + len(rejects)  # every row loaded or rejected, none lost
    assert (len(rejects) > 0) == (path.parent.name == "partly_bad")


def test_persian_encodings_read_the_same(ref):
    """cp1256 with Arabic letters and UTF-8 with Persian digits normalise to the same codes."""
    a = iran_customs.read(FIXTURES / "iran_customs/cp1256_arabic_letters.csv", "a.csv", ref).rows
    assert list(a["partner_country"]) == ["RU", "RU", "RU"]
    assert list(a["customs_office"]) == ["anzali", "astara", "rasht"]
    assert a["value_usd"].iloc[0] == 45000.5 and a["net_kg"].iloc[0] == 12500


def test_rial_only_rows_are_converted_and_flagged(ref):
    rows = iran_customs.read(FIXTURES / "iran_customs/rial_only_period.csv", "r.csv", ref).rows
    rate = ref.rial_per_usd["2022-12"]
    assert rows["value_usd"].iloc[0] == pytest.approx(2_100_000_000 / rate)
    assert set(rows["flags"]) == {"usd_from_rial"}
    assert set(rows["currency_native"]) == {"IRR"}


def test_jalali_month_spans_two_gregorian_months(ref):
    rows = iran_customs.read(FIXTURES / "iran_customs/year_month_utf8.csv", "y.csv", ref).rows
    # Mehr 1402 = 23 Sep – 22 Oct 2023
    assert str(rows["period_start"].iloc[0].date()) == "2023-09-23"
    assert str(rows["period_end"].iloc[0].date()) == "2023-10-22"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1251", "koi8_r"])
def test_russian_file_reads_the_same_in_every_encoding(tmp_path, ref, encoding):
    """The same FCS rows written in each encoding (UTF-16 with and without a byte-order mark) give the
    same rows, and the report names the encoding found."""
    source = FIXTURES / "russia_customs/ru_headers_utf8.csv"
    path = tmp_path / "volgograd.csv"
    path.write_bytes(source.read_text(encoding="utf-8").encode(encoding))
    report, rows, rejects, _ = given(path, ref)
    pd.testing.assert_frame_equal(rows, load_expected(source))
    assert rejects.empty
    assert report.encoding == {"utf-8-sig": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "cp1251":
                               "Windows-1251", "koi8_r": "KOI8-R"}.get(encoding, encoding.upper())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1256"])
def test_persian_file_reads_the_same_in_every_encoding(tmp_path, ref, encoding):
    source = FIXTURES / "iran_customs/year_month_utf8.csv"
    path = tmp_path / "mazandaran.csv"
    text = source.read_text(encoding="utf-8")
    if encoding == "cp1256":  # it has Arabic ي and ك only, as Iranian systems write them
        text = text.replace("ی", "ي").replace("ک", "ك")
    path.write_bytes(text.encode(encoding))
    report, rows, rejects, _ = given(path, ref)
    pd.testing.assert_frame_equal(rows, load_expected(source))
    assert rejects.empty and report.encoding == {"cp1256": "Windows-1256"}.get(encoding, encoding.upper())


def test_code_page_detected_past_64_kib_of_ascii(tmp_path, ref):
    """A Windows-1251 file whose first 64 KiB are plain ASCII (Latin units, no region names yet): the
    encoding is detected from where the Cyrillic begins, not refused as broken UTF-8."""
    header = "DIRECTION,PERIOD,COUNTRY,HS,UM,VALUE,NETWEIGHT,QUANTITY,REGION,REGION_S"
    ascii_rows = [f"IM,{m:02d}/{y},IR,0810500000,KG,{y}.{m:02d},1,1,18000 - VOLGOGRAD,"
                  for y in range(1991, 2091) for m in range(1, 13)]
    cyrillic = "EX,01/2091,IR,1001990000,КГ,5,1,1,18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ,04-ЮЖНЫЙ ФЕДЕРАЛЬНЫЙ ОКРУГ"
    path = tmp_path / "long.csv"
    path.write_bytes("\n".join([header, *ascii_rows, cyrillic]).encode("cp1251") + b"\n")
    assert len("\n".join([header, *ascii_rows])) > 64 * 1024
    report, rows, rejects, _ = given(path, ref)
    assert report.encoding == "Windows-1251" and rejects.empty and len(rows) == len(ascii_rows) + 1
    assert rows["qty_unit"].iloc[-1] == "kg"


def test_flow_of_a_report_from_its_file_name_or_title():
    from etl.sources.iran_customs import file_flow

    assert file_flow(["saderat_gilan_1403.csv"]) == "export"
    assert file_flow(["Gilan-Exports_2024.xlsx"]) == "export"
    assert file_flow(["گزارش وارداتی گمرک", "a.csv"]) == "import"
    assert file_flow(["آمار صادرات استان گیلان", "1403.csv"]) == "export"
    assert file_flow(["صادرات و واردات استان گیلان", "x.csv"]) is None  # both: no hint
    assert file_flow(["important_numbers.csv"]) is None  # a whole word only

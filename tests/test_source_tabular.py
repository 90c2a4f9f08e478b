"""Iranian and Russian customs adapters: every fixture variant against its expected rows, rejects and
warnings (tests/expected_rows.py), through the whole check a refresh runs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl import sources
from etl.sources import iran_customs, russia_customs
from tests.conftest import FIXTURES, SHARED_REAL
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


def test_real_fcs_file(ref):
    path = SHARED_REAL / "fcs_regions_ru.csv"
    if not path.exists():
        pytest.skip(f"real reference files absent ({path})")
    assert sources.detect(path, path.name) is russia_customs
    result = russia_customs.read(path, path.name, ref)
    raw = pd.read_csv(path, dtype={"TNVED": str})
    assert result.rejects == []
    assert len(result.rows) == len(raw)
    assert result.rows["value_usd"].sum() == pytest.approx(raw["STOIM"].sum())
    assert result.rows["net_kg"].sum() == pytest.approx(raw["NETTO"].sum())
    assert set(result.rows["reporter_region"]) == {"RU-MOW"}
    assert "NNN" in set(result.rows["partner_country"])
    assert set(result.rows["flow"]) == {"import", "export"}

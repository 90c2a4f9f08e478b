"""The manual-figures adapter: the template's rows, regions, Jalali periods and bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.reference import Reference
from etl.sources import comtrade, manual
from etl.staging import STAGING_COLUMNS, FileError
from tests.rows import as_tuples, head

FIXTURES = Path(__file__).parent / "fixtures" / "manual"
HEADER = ("source_note,url,reporter_country,reporter_region,partner_country,partner_region,flow,hs_code,"
          "period,calendar,value_usd,net_kg")

COLS = ["row", "reporter_country", "reporter_region", "partner_country", "partner_region", "flow", "hs_code",
        "period_start", "period_end", "calendar", "freq", "period_label", "value_usd", "net_kg", "flags"]

EXPECTED = {
    "direct_regions.csv": [
        (2, "IR", "IR-02", "RU", "RU-VGG", "export", "0806", "2024-01-01", "2024-12-31", "gregorian", "A", "2024",
         1250000.0, 800000.0, "direct;url=https://example.org/report?a=1%3Bb=2"),
        # names in three languages; empty hs_code = all products
        (3, "IR", "IR-01", "RU", "RU-VGG", "export", None, "2024-05-01", "2024-05-31", "gregorian", "M", "2024-05",
         300000.0, None, "direct;total"),
        # empty calendar: 2023 is a Gregorian year
        (4, "RU", "RU-VGG", "IR", "IR-27", "import", "100199", "2023-01-01", "2023-12-31", "gregorian", "A", "2023",
         5000000.5, 20000000.0, "direct;url=https://example.org/vgg"),
        (5, "IR", None, "RU", None, "import", None, "2024-01-01", "2024-12-31", "gregorian", "A", "2024",
         42000000.0, None, "total"),
    ],
    "jalali.csv": [
        # 1403 is a leap year: Nowruz 2024-03-20 to 2025-03-20
        (2, "IR", "IR-02", "RU", "RU-VGG", "export", "0805", "2024-03-20", "2025-03-20", "jalali", "A", "1403",
         2000000.0, 1500000.0, "direct"),
        # Mordad 1403, written in Persian digits
        (3, "IR", "IR-01", "RU", None, "export", "08061000", "2024-07-22", "2024-08-21", "jalali", "M", "1403/05",
         250000.0, None, None),
        # Esfand 1402 (29 days), calendar written شمسی
        (4, "IR", "IR-27", "RU", "RU-VGG", "import", "1001", "2024-02-20", "2024-03-19", "jalali", "M", "1402-12",
         123456.5, 400000.0, "direct;url=https://example.org/gorgan"),
        # empty calendar: 1402 is a Jalali year
        (5, "IR", None, "RU", None, "export", None, "2023-03-21", "2024-03-19", "jalali", "A", "1402",
         5000000.0, None, "total"),
    ],
}


def test_every_fixture_has_expectations():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("path", sorted(FIXTURES.iterdir()), ids=lambda p: p.name)
def test_fixture(path: Path, ref: Reference):
    assert manual.sniff(path, head(path))
    assert not comtrade.sniff(path, head(path))
    result = manual.read(path, f"manual/{path.name}", ref)
    assert result.rejects == []
    assert as_tuples(result.rows, COLS) == EXPECTED[path.name]
    assert result.total_rows == len(result.rows)
    staged = result.rows
    assert {c: str(t) for c, t in staged.dtypes.items()} == STAGING_COLUMNS
    assert (staged["source"] == "manual").all() and (staged["file"] == f"manual/{path.name}").all()
    assert (staged["value_basis"] == "unknown").all() and (staged["currency_native"] == "USD").all()
    assert staged["value_native"].equals(staged["value_usd"])


def test_the_shipped_template_is_recognised():
    template = Path(__file__).resolve().parents[1] / "data/reference/manual_template.csv"
    if not template.exists():
        pytest.skip(f"{template} not written yet")
    assert manual.sniff(template, head(template))


def test_bad_rows_are_rejected_with_file_row_and_column(tmp_path: Path, ref: Reference):
    # a Windows-1256 file, as Excel saves it in Iran (Arabic ي/ك letters)
    lines = [
        HEADER,
        "اتاق بازرگاني رشت,,ايران,گيلان,روسيه,RU-VGG,صادرات,0806,1403,jalali,1000,",  # good
        "اتاق بازرگاني,,IR,Atlantis,RU,,export,0806,2024,gregorian,1000,",  # unknown region
        "اتاق بازرگاني,,IR,RU-VGG,RU,,export,0806,2024,gregorian,1000,",  # region of the wrong country
        "اتاق بازرگاني,,IR,IR-01,RU,RU-VGG,export,0806,2024,gregorian,-100,",  # negative value
        "اتاق بازرگاني,,IR,IR-01,RU,RU-VGG,export,0806,2024,gregorian,,",  # no value
        "اتاق بازرگاني,,IR,,Narnia,,export,0806,2024,gregorian,1000,",  # unknown country
        "اتاق بازرگاني,,IR,,RU,,transit,0806,2024,gregorian,1000,",  # unknown flow
        "اتاق بازرگاني,,IR,,RU,,export,0806,2024-13,gregorian,1000,",  # no 13th month
        "اتاق بازرگاني,,IR,,RU,,export,0806,2024,jalali,1000,",  # a Gregorian year called Jalali
        "اتاق بازرگاني,,IR,,RU,,export,0806.10,2024,gregorian,1000,",  # HS code with a dot
        "اتاق بازرگاني,,IR,,RU,,export,0806,2024,gregorian,1000,ten",  # text as weight
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes("\r\n".join(lines).encode("cp1256"))
    result = manual.read(path, "manual/bad.csv", ref)
    assert as_tuples(result.rows, COLS)[0][:6] == (2, "IR", "IR-01", "RU", "RU-VGG", "export")
    assert result.total_rows == 11 and len(result.rows) == 1
    got = [(r.file, r.row, r.column, r.value) for r in result.rejects]
    assert got == [
        ("manual/bad.csv", 3, "reporter_region", "Atlantis"),
        ("manual/bad.csv", 4, "reporter_region", "RU-VGG"),
        ("manual/bad.csv", 5, "value_usd", "-100"),
        ("manual/bad.csv", 6, "value_usd", ""),
        ("manual/bad.csv", 7, "partner_country", "Narnia"),
        ("manual/bad.csv", 8, "flow", "transit"),
        ("manual/bad.csv", 9, "period", "2024-13"),
        ("manual/bad.csv", 10, "period", "2024"),
        ("manual/bad.csv", 11, "hs_code", "0806.10"),
        ("manual/bad.csv", 12, "net_kg", "ten"),
    ]
    assert "is in RU, not in IR" in result.rejects[1].reason


def test_a_russian_windows_1251_file(tmp_path: Path, ref: Reference):
    lines = [HEADER, "Комитет экономической политики,,RU,Волгоградская область,IR,Гилян,экспорт,1001,2024-03,,"
                     "777000,1000000"]
    path = tmp_path / "ru.csv"
    path.write_bytes("\n".join(lines).encode("cp1251"))
    result = manual.read(path, "ru.csv", ref)
    assert result.rejects == []
    assert as_tuples(result.rows, COLS) == [
        (2, "RU", "RU-VGG", "IR", "IR-01", "export", "1001", "2024-03-01", "2024-03-31", "gregorian", "M",
         "2024-03", 777000.0, 1000000.0, "direct")]


def test_region_alone_gives_its_country(tmp_path: Path, ref: Reference):
    path = tmp_path / "regions_only.csv"
    path.write_text(HEADER + "\nnote,,,IR-02,,RU-VGG,export,,2024,,5,\n", encoding="utf-8")
    rows = manual.read(path, "regions_only.csv", ref).rows
    assert (rows["reporter_country"].iloc[0], rows["partner_country"].iloc[0]) == ("IR", "RU")


def test_missing_required_column_is_refused(tmp_path: Path, ref: Reference):
    path = tmp_path / "short.csv"
    path.write_text("source_note,reporter_country,value_usd\nx,IR,5\n", encoding="utf-8")
    with pytest.raises(FileError, match="partner_country"):
        manual.read(path, "short.csv", ref)

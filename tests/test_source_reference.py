"""The reference lists the adapters place rows with: every FCS region and country code, units."""

from __future__ import annotations

import csv
import re

import pycountry
import pytest

from etl import reference_build
from etl.reference_fcs import FCS_COUNTRIES, FCS_REGIONS, FCS_UNITS
from etl.text import name_key
from tests.conftest import ROOT, SHARED_REAL

REFERENCE = ROOT / "data" / "reference"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_reference_files_are_what_the_build_writes(tmp_path):
    """regions.csv, countries.csv and units.csv are exactly `python -m etl.reference_build`'s output."""
    for path in reference_build.build_all(tmp_path):
        assert path.read_text(encoding="utf-8") == (REFERENCE / path.name).read_text(encoding="utf-8"), path.name


def test_every_fcs_region_is_a_row_with_three_names():
    regions = [r for r in rows("regions.csv") if r["country"] == "RU"]
    assert {r["okato"] for r in regions} == set(FCS_REGIONS) and len(regions) == len(FCS_REGIONS) == 92
    assert len({r["code"] for r in regions}) == 92
    for r in regions:
        assert r["name_en"] and r["name_ru"] and r["name_fa"], r["code"]
        assert re.search("[\u0600-\u06ff]", r["name_fa"]) and not re.search("[يك]", r["name_fa"]), r["code"]
        assert re.search("[а-яё]", r["name_ru"], re.I), r["code"]
    iso = {s.code for s in pycountry.subdivisions.get(country_code="RU")}
    assert {r["iso_3166_2"] for r in regions if r["iso_3166_2"]} == iso  # all 83 ISO subdivisions of Russia
    for r in regions:
        assert r["iso_3166_2"] in ("", r["code"])
        if not r["iso_3166_2"]:
            assert r["note"], f"{r['code']} has no ISO 3166-2 code and no note saying why"


def test_focus_and_iranian_provinces_unchanged():
    regions = rows("regions.csv")
    assert sorted(r["code"] for r in regions if r["is_focus"] == "1") == ["IR-01", "IR-02", "IR-27", "RU-VGG"]
    iran = [r for r in regions if r["country"] == "IR"]
    assert len(iran) == 31 and all(r["iso_3166_2"] == r["code"] for r in iran)


@pytest.mark.parametrize("name,key,columns", [
    ("regions.csv", "code", ("code", "name_en", "name_fa", "name_ru")),
    ("countries.csv", "iso2", ("iso2", "iso3", "name_en", "name_fa", "name_ru")),
    ("units.csv", "unit", ("unit", "okei", "name_en", "name_fa", "name_ru", "short_ru")),
])
def test_no_name_or_alias_names_two_rows(name, key, columns):
    owner: dict[str, str] = {}
    for r in rows(name):
        for n in [*(r[c] for c in columns), *r["aliases"].split("|")]:
            if n:
                assert owner.setdefault(name_key(n), r[key]) == r[key], (n, owner[name_key(n)], r[key])


def test_fcs_country_codes_are_partners_of_their_own():
    countries = {r["iso2"]: r for r in rows("countries.csv")}
    assert set(FCS_COUNTRIES) <= set(countries)
    own = {c: (r["kind"], r["iso_equivalent"]) for c, r in countries.items() if r["kind"] == "fcs"}
    assert own == {"AB": ("fcs", "GE-AB"), "OS": ("fcs", ""), "EU": ("fcs", ""), "YY": ("fcs", "GE")}
    assert countries["NNN"]["name_en"] == "Undisclosed" and "НЕИЗВЕСТНАЯ СТРАНА" in countries["NNN"]["aliases"]
    for code in own:
        assert all(countries[code][f"name_{lang}"] for lang in ("en", "fa", "ru"))


def test_regions_and_units_resolve_by_the_names_files_use(ref):
    assert ref.region_by_okato["18000"] == "RU-VGG" and ref.region_by_okato["NNNNN"] == "FCS-NNNNN"
    assert len(ref.region_by_okato) == 92
    assert ref.region_by_name[name_key("ولگاگراد")] == "RU-VGG"
    assert ref.region_by_name[name_key("ТАТАРСТАН")] == "RU-TA"
    units = {r["unit"] for r in rows("units.csv")}
    assert {ref.unit_by_name[name_key(short)] for _, short in FCS_UNITS.values()} == units
    assert ref.unit_by_name[name_key("KG")] == ref.unit_by_name[name_key("кг")] == "kg"
    assert ref.country_by_name[name_key("ab")] == "AB" and ref.country_by_name[name_key("Абхазия")] == "AB"


def test_fcs_lists_copied_as_published():
    """The codes and names in etl/reference_fcs.py are those of the FCS lists (when they are here)."""
    folder = SHARED_REAL / "opencustoms"
    if not folder.exists():
        pytest.skip(f"the real reference files are absent ({folder} not found)")

    def listed(name: str) -> list[list[str]]:
        with (folder / name).open(encoding="utf-8") as f:
            return [r for r in csv.reader(f)][2:]  # a line of dots, then the header

    assert {r[0]: r[1].split(" - ", 1)[1] for r in listed("regions.csv") if r} == FCS_REGIONS
    assert {r[0]: r[1] for r in listed("country.csv") if r} == FCS_COUNTRIES
    assert {r[0]: (r[1], r[2]) for r in listed("ED.csv") if r} == FCS_UNITS

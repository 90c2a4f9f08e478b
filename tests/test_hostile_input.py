"""Hostile input: fuzzed files through every adapter, the size and row limits, HTML and script in
names, SQL text and paths in URL parameters. The only answers allowed are accepted rows or a
named refusal (FileError / Reject naming the file, and row and column for a row) — never a
traceback, never SQL built from a value, never a file opened because a URL or a cell named it."""

from __future__ import annotations

import ast
import csv
import functools
import io
import json
import os
import shutil
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.i18n import t
from etl import cli, readers, refresh, sources
from etl.sources import comtrade, manual
from etl.staging import FileError, Reject
from tests.conftest import ROOT, query
from tests.raw_files import IRAN_HEADER
from tests.test_dashboard import app

FUZZ = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.filter_too_much])

# ------------------------------------------------------------------ the formats, with one valid row each

FORMATS: dict[str, tuple[list[str], list[str]]] = {
    "iran_customs": (
        ["نوع جریان", "استان", "گمرک", "کد تعرفه", "شرح کالا", "کشور طرف معامله", "سال", "ماه",
         "وزن خالص (کیلوگرم)", "ارزش دلاری", "ارزش ریالی", "نوع حمل"],
        ["صادرات", "مازندران", "گمرک بندر امیرآباد", "08105000", "کیوی تازه", "روسیه", "1402", "7",
         "120,000", "96,500.50", "", "دریایی"]),
    "iran_customs_period": (
        ["نوع جریان", "گمرک", "کد تعرفه", "کشور طرف معامله", "دوره", "وزن (تن)", "ارزش ریالی"],
        ["واردات", "گمرک بندر انزلی", "10019900", "RU", "1401/05/12", "12.5", "4,200,000,000"]),
    "russia_customs": (
        "NAPR,PERIOD,STRANA,TNVED,EDIZM,STOIM,NETTO,KOL,REGION,REGION_S".split(","),
        ["ЭК", "01/2021", "IR", "1001990000", "КГ", "250000.50", "1000000", "1000000",
         "18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ", "04-ЮЖНЫЙ ФЕДЕРАЛЬНЫЙ ОКРУГ"]),
    "russia_customs_en": (
        "DIRECTION,PERIOD,COUNTRY,HS,UM,VALUE,NETWEIGHT,QUANTITY,REGION,REGION_S".split(","),
        ["IM", "2021-03", "IR", "0805102000", "KG", "1200", "300", "", "18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ", ""]),
    "comtrade": (
        list(comtrade.FIELDS),
        ["A", "2021", "52", "2021", "364", "X", "643", "0", "C00", "080212", "0", "kg", "50000", "50000", "",
         "310000", "310000"]),
    "manual": (
        list(manual.COLUMNS),
        ["trade house", "https://example.org/r?a=1;b=2", "IR", "IR-02", "RU", "RU-VGG", "export", "0806", "2024",
         "gregorian", "1,250,000", "800000"]),
}
SOURCE = {name: name.removesuffix("_period").removesuffix("_en") for name in FORMATS}

HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']
SQL = ["'; drop table core.flows; --", "1 or 1=1", "$provinces", "?); delete from meta; --"]
NASTY = [
    *HTML, *SQL,
    "9" * 300, "1e308", "1e309", "NaN", "nan", "inf", "-inf", "Infinity", "-1", "-0", "0", "0.0000001",
    "", " ", "\u00a0", "۱۲۳٬۴۵۶٫۷", "١٢٣", "1,234,567.89", "1.234.567,89", "12,34", "0x1F", "1_000", "+5",
    "=HYPERLINK(\"http://x\")", "../../etc/passwd", "file:///etc/passwd", "/etc/passwd", "\u202eevil",
    "ي ك", "NNN", "TOTAL", "total", "52", "13", "0", "1403/13", "1404/12/30", "2021-00", "99/2021", "IR", "RU",
    "روسیه", "18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ", "99999 - X", "a\nb", 'a"b', "a,b", "a;b", "\t", "08.10.50",
    "8051000", "00", "0" * 12, "X", "M", "RX", "ИМ", "صادرات",
]
# Digit strings up to 400 long: past 1.8e308 they are beyond float range (rejected, see below)
NUMBERS = st.one_of(st.integers(-10**30, 10**400).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(repr),
                    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str))
CELL = st.one_of(st.sampled_from(NASTY), NUMBERS, st.text(max_size=24))
CONTROL = readers._CONTROL  # characters that make a text file binary


def rows_for(fmt: str, max_rows: int = 12):
    """Rows of the format's width: each cell the valid one or a hostile one."""
    header, valid = FORMATS[fmt]
    cell = [st.one_of(st.just(v), CELL) for v in valid]
    return st.lists(st.tuples(*cell), min_size=1, max_size=max_rows)


def write_csv(path: Path, header: list[str], rows, *, delimiter=",", encoding="utf-8", newline="\n",
              titles: list[str] = ()) -> None:
    buf = io.StringIO()
    for title in titles:
        buf.write(title + newline)
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))


# ------------------------------------------------------------------ what an answer may be

@functools.cache
def reference():
    """The reference data, outside hypothesis' arguments (its repr would fill a failure report)."""
    from etl.reference import Reference

    return Reference.load()


# Bugs found by these fuzzers, each with its own strict-xfail repro below. Until one is fixed, an
# example that hits it is discarded (not passed) so the fuzzers keep looking for new ones; delete the
# entry with the fix. (exception type, function in etl/ where it is raised)
KNOWN_BUGS: dict = {}


def known_bug(e: BaseException) -> str | None:
    where = {f.name for f in traceback.extract_tb(e.__traceback__) if f"{os.sep}etl{os.sep}" in f.filename}
    return next((bug for (kind, func), bug in KNOWN_BUGS.items() if isinstance(e, kind) and func in where), None)


@contextmanager
def skipping_known_bugs():
    try:
        yield
    except (FileError, AssertionError):
        raise
    except Exception as e:
        if known_bug(e):
            assume(False)
        raise


def check_reject(r: Reject, name: str, *, whole_file: bool = False) -> None:
    assert isinstance(r, Reject)
    assert r.file == name
    msg = r.message()
    assert msg.startswith(name)
    assert r.reason and "Traceback" not in msg
    if r.row is not None:
        assert isinstance(r.row, int) and r.row >= 1
        assert f"row {r.row}" in msg
        # a rejected row names its column; a whole-file problem may name just the line
        # (a duplicate or conflict is about the whole row and names the other row instead)
        assert whole_file or r.column or "duplicate" in r.reason or "conflicting" in r.reason, msg


def check_adapter(path: Path, name: str, ref, expect: str | None = None):
    """detect + read: a FileError naming the file, or rows and rejects that add up."""
    try:
        module = sources.detect(path, name)
        if expect:
            assert module.NAME == expect
        result = module.read(path, name, ref)
    except FileError as e:
        check_reject(e.reject, name, whole_file=True)
        assert name in str(e)
        return None
    for r in result.rejects:
        check_reject(r, name)
    rows = result.rows
    rejected = {r.row for r in result.rejects}
    assert len(rejected) == len(result.rejects)  # one reject per bad row
    assert not rejected & set(rows["row"].dropna().astype(int))
    assert len(rows) + len(rejected) == result.total_rows  # every row accepted or rejected: none lost
    assert (rows["file"] == name).all()
    for col in ("value_usd", "net_kg", "qty"):
        v = rows[col].dropna().to_numpy(dtype=float)
        assert np.isfinite(v).all() and (v >= 0).all(), (col, v)
    assert rows["period_start"].notna().all() and (rows["period_start"] <= rows["period_end"]).all()
    assert rows["flow"].isin(["export", "import"]).all()
    return result


def check_validate(path: Path, name: str, ref) -> None:
    result, flows = refresh.validate([(path, name)], ref)
    assert len(result.files) == 1
    report = result.files[0]
    assert report.status in ("loaded", "refused", "unreadable")
    if report.status != "loaded":
        assert name in report.message and "Traceback" not in report.message
    for r in result.rejects:
        check_reject(r, name, whole_file=r.row is None or report.status == "unreadable")
    assert len(flows) <= report.rows_total


def check(path: Path, name: str, ref, expect: str | None = None):
    with skipping_known_bugs():
        result = check_adapter(path, name, ref, expect)
        check_validate(path, name, ref)
    return result


# ------------------------------------------------------------------ fuzz: random bytes

PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"{", b'{"data": [', b'{"data": [{"reporterCode": ',
            *[(",".join(h) + "\n").encode() for h, _ in FORMATS.values()]]


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=3000))
def test_random_bytes(tmp_path_factory, prefix, body):
    path = tmp_path_factory.mktemp("bytes") / "random.csv"
    path.write_bytes(prefix + body)
    check(path, "drop/random.csv", reference())


# ------------------------------------------------------------------ fuzz: random cells under real headers

@pytest.mark.parametrize("fmt", list(FORMATS))
@FUZZ
@given(data=st.data())
def test_random_cells_under_real_headers(tmp_path_factory, fmt, data):
    header, _ = FORMATS[fmt]
    rows = data.draw(rows_for(fmt))
    delimiter = data.draw(st.sampled_from([",", ";", "\t"]))
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1251" if "russia" in fmt else "cp1256"]))
    newline = data.draw(st.sampled_from(["\n", "\r\n"]))
    path = tmp_path_factory.mktemp("cells") / f"{fmt}.csv"
    write_csv(path, header, rows, delimiter=delimiter, encoding=encoding, newline=newline)
    result = check(path, f"in/{fmt}.csv", reference(), expect=SOURCE[fmt])
    if result is not None and SOURCE[fmt] != "comtrade":  # comtrade skips other flows by design
        written = sum(any(c.strip() for c in r) for r in rows)
        assert result.total_rows == written


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**40, 10**40), st.floats(), CELL),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=6)


@FUZZ
@given(data=st.data())
def test_random_comtrade_json(tmp_path_factory, data):
    _, valid = FORMATS["comtrade"]
    fields = list(comtrade.FIELDS)
    records = data.draw(st.lists(st.fixed_dictionaries(
        {f: st.one_of(st.just(v), JSON_VALUE) for f, v in zip(fields, valid, strict=True)},
        optional={"extra": JSON_VALUE, "PRIMARYVALUE": JSON_VALUE}), max_size=10))
    doc = data.draw(st.sampled_from(["normal", "records_not_objects", "data_not_list", "top_level_list"]))
    if doc == "normal":
        payload = {"count": len(records), "data": records}
    elif doc == "records_not_objects":
        payload = {"data": [*records, data.draw(JSON_VALUE)]}
    elif doc == "data_not_list":
        payload = {"data": data.draw(JSON_VALUE), "reporterCode": 1, "refYear": 2}
    else:
        payload = [{"data": records, "refYear": 1, "reporterCode": 1}]
    path = tmp_path_factory.mktemp("json") / "c.json"
    path.write_text(json.dumps(payload, ensure_ascii=data.draw(st.booleans())), encoding="utf-8")
    check(path, "comtrade/c.json", reference())


XLSX_CELL = st.one_of(st.none(), st.integers(-10**18, 10**18), st.floats(allow_nan=False), st.booleans(),
                      st.sampled_from([c for c in NASTY if "\t" not in c and "\n" not in c]),
                      st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=20))


@pytest.mark.parametrize("fmt", ["iran_customs", "russia_customs", "manual"])
@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_random_cells_in_xlsx(tmp_path_factory, fmt, data):
    from openpyxl import Workbook

    header, valid = FORMATS[fmt]
    wb = Workbook()
    ws = wb.active
    for _ in range(data.draw(st.integers(0, 3))):  # title rows above the header
        ws.append([data.draw(XLSX_CELL)])
    ws.append(header)
    for _ in range(data.draw(st.integers(1, 8))):
        ws.append([data.draw(st.one_of(st.just(v), XLSX_CELL)) for v in valid])
    path = tmp_path_factory.mktemp("xlsx") / f"{fmt}.xlsx"
    wb.save(path)
    check(path, f"x/{fmt}.xlsx", reference())


@functools.cache
def hs6() -> list[str]:
    from etl.warehouse import hs_nomenclature

    codes = hs_nomenclature()
    return list(codes[codes["level"] == "6"]["code"][::50])  # ~110 subheadings of the HS 2022 nomenclature


def distinct_row(fmt: str, i: int) -> list[str]:
    """The format's valid row made distinct (its own period and product) for row number i."""
    header, valid = FORMATS[fmt]
    row = list(valid)
    k, hs = i % 1200, hs6()[i // 1200 % len(hs6())]
    year, month = k // 12, k % 12 + 1
    col = header.index
    if fmt == "iran_customs":
        row[col("سال")], row[col("ماه")], row[col("کد تعرفه")] = str(1370 + year), str(month), hs + "00"
    elif fmt == "russia_customs":
        row[col("PERIOD")], row[col("TNVED")] = f"{month:02d}/{1990 + year}", hs + "0000"
    elif fmt == "comtrade":
        row[col("freqCode")], row[col("refYear")], row[col("refMonth")] = "M", str(1990 + year), str(month)
        row[col("period")], row[col("cmdCode")] = f"{1990 + year}{month:02d}", hs
    else:
        row[col("period")], row[col("calendar")], row[col("hs_code")] = f"{1990 + year}-{month:02d}", "", hs
    return row


@pytest.mark.parametrize("fmt", ["iran_customs", "russia_customs", "comtrade", "manual"])
@settings(FUZZ, max_examples=2)
@given(seed=st.integers(0, 2**32 - 1), hostile=st.lists(CELL, min_size=1, max_size=20))
def test_large_files_near_two_megabytes(tmp_path_factory, fmt, seed, hostile):
    """~2 MB of distinct valid rows with hostile cells scattered through."""
    import random

    rnd = random.Random(seed)
    rows, size, touched = [], 0, 0
    while size < 2_000_000:
        row = distinct_row(fmt, len(rows))
        if rnd.random() < 0.002:
            row[rnd.randrange(len(row))] = rnd.choice(hostile)
            touched += 1
        rows.append(row)
        size += sum(len(c.encode()) + 1 for c in row)
    path = tmp_path_factory.mktemp("big") / f"{fmt}.csv"
    write_csv(path, FORMATS[fmt][0], rows)
    assert 1_900_000 < path.stat().st_size < 2_500_000
    result = check(path, f"big/{fmt}.csv", reference())
    if any(CONTROL.search(c) for c in hostile):
        return  # a control character makes the file binary: refused whole, by name (checked above)
    # a mostly valid file is never refused whole: at most the touched rows are rejected
    assert result is not None, "a file of valid rows with a few hostile cells was refused whole"
    assert len(result.rejects) <= touched
    if fmt != "comtrade":  # comtrade skips other flows and breakdowns by design
        assert result.total_rows == len(rows)
        assert len(result.rows) >= len(rows) - touched


# ------------------------------------------------------------------ k bad rows of n: exactly those k

# Cells that make a row wrong or unplaceable, never the whole file: (column, bad values) per format.
ROW_BREAKERS: dict[str, list[tuple[str, list[str]]]] = {
    "russia_customs": [("NAPR", ["ХЗ", "transit", ""]), ("PERIOD", ["13/2021", "2021-00", "abc", ""]),
                       ("STRANA", ["XX", "ZZZ", ""]), ("TNVED", ["081050000", "08.10.50", "abc"]),
                       ("STOIM", ["-1", "abc", "", "1e5", "12 34"]), ("NETTO", ["-5", "x"]),
                       ("REGION", ["99999 - НИГДЕ", "nowhere", ""])],
    "iran_customs": [("نوع جریان", ["ترانزیت", ""]), ("استان", ["استان ناشناخته"]),
                     ("کد تعرفه", ["0810.50.00", "8105000", ""]), ("کشور طرف معامله", ["کشور ناشناخته", HTML[0], ""]),
                     ("سال", ["1499", "abc"]), ("ماه", ["13", "0"]), ("وزن خالص (کیلوگرم)", ["-3", "x"]),
                     ("ارزش دلاری", ["-1", "نامعلوم", ""])],
    "manual": [("flow", ["sideways", ""]), ("reporter_country", ["XX", "Atlantis"]), ("period", ["2024-13", "x"]),
               ("hs_code", ["123", "08.06"]), ("value_usd", ["-5", "", "abc"])],
    "comtrade": [("flowCode", [""]), ("partnerCode", ["99999", "x"]), ("cmdCode", ["0810.5", "12345"]),
                 ("primaryValue", ["-1", "", "abc"]), ("refMonth", ["13", "x"])],
}
# Cells that load with a warning: (column, values) — the row keeps its value.
ROW_WARNERS = {"iran_customs": ("گمرک", ["گمرک تازه", HTML[1]]), "russia_customs": ("EDIZM", ["БОЧКА", "<b>x</b>"])}


@pytest.mark.parametrize("fmt", list(ROW_BREAKERS))
@settings(FUZZ, max_examples=12)
@given(data=st.data())
def test_k_bad_rows_of_n_reject_exactly_those_k(tmp_path_factory, fmt, data):
    """n distinct valid rows with k of them broken (one cell each): n − k rows load and exactly the k
    are rejected, each by its row number and column — the file is never refused whole for them
    (validate with no threshold), and no good row is lost."""
    header, _ = FORMATS[fmt]
    n = data.draw(st.integers(1, 60), label="n")
    bad = data.draw(st.sets(st.integers(0, n - 1), max_size=n), label="bad rows")
    rows = [distinct_row(fmt, i * 37) for i in range(n)]
    broken = {}
    for i in sorted(bad):
        column, values = data.draw(st.sampled_from(ROW_BREAKERS[fmt]))
        rows[i][header.index(column)] = data.draw(st.sampled_from(values))
        broken[i + 2] = column  # the header is row 1
    path = tmp_path_factory.mktemp("kofn") / f"{fmt}.csv"
    write_csv(path, header, rows)
    ref = reference()
    result, flows = refresh.validate([(path, "kofn.csv")], ref, max_reject_pct=100)
    report = result.files[0]
    assert report.status == "loaded", report.message
    assert report.rows_total == n
    assert sorted(flows["row"].astype(int)) == [r for r in range(2, n + 2) if r not in broken]
    assert sorted(r.row for r in result.rejects) == sorted(broken)
    for r in result.rejects:
        check_reject(r, "kofn.csv")
        assert broken[r.row] in r.column, r.message()  # (the period of سال and ماه is named by both)
    assert (report.rows_accepted, report.rows_rejected) == (n - len(bad), len(bad))


@pytest.mark.parametrize("fmt", list(ROW_WARNERS))
@settings(FUZZ, max_examples=8)
@given(data=st.data())
def test_k_warned_rows_of_n_all_load(tmp_path_factory, fmt, data):
    """k rows with an unknown office or unit: all n rows load, the warnings cover exactly those k."""
    header, _ = FORMATS[fmt]
    column, values = ROW_WARNERS[fmt]
    n = data.draw(st.integers(1, 40), label="n")
    odd = data.draw(st.sets(st.integers(0, n - 1), max_size=n), label="warned rows")
    rows = [distinct_row(fmt, i * 37) for i in range(n)]
    for i in odd:
        rows[i][header.index(column)] = data.draw(st.sampled_from(values))
    path = tmp_path_factory.mktemp("kofn") / f"{fmt}.csv"
    write_csv(path, header, rows)
    result, flows = refresh.validate([(path, "warn.csv")], reference(), max_reject_pct=100)
    assert result.rejects == [] and len(flows) == n
    # the rows that keep an unknown name in their flags are exactly those k, and the warnings count them
    flagged = flows[flows["flags"].fillna("").str.contains("unknown_")]["row"].astype(int)
    assert sorted(flagged) == sorted(i + 2 for i in odd)
    assert sum(w.rows for w in result.warnings) == len(odd)
    assert {w.first_row for w in result.warnings} <= set(flagged)
    assert all(w.column == column and w.file == "warn.csv" for w in result.warnings)
    assert result.files[0].rows_warned == len(odd)


def test_random_two_megabytes_of_bytes(tmp_path, ref):
    import random

    path = tmp_path / "noise.bin"
    for seed, prefix in enumerate(PREFIXES):
        path.write_bytes(prefix + random.Random(seed).randbytes(2_000_000))
        check(path, "noise.bin", ref)


# ------------------------------------------------------------------ end to end: a fuzzed file through the CLI

@settings(FUZZ, max_examples=6)
@given(data=st.data())
def test_fuzzed_file_through_the_refresh_cli(tmp_path_factory, fixture_warehouse, data, capsys):
    """The whole refresh on a fuzzed file: exit 0 or 1 with a message, no traceback; the live file
    is unchanged unless it was published."""
    fmt = data.draw(st.sampled_from(["iran_customs", "russia_customs", "manual"]))
    header, valid = FORMATS[fmt]
    good = [tuple(valid)]
    rows = good + data.draw(rows_for(fmt, max_rows=3))
    tmp = tmp_path_factory.mktemp("e2e")
    (tmp / "raw").mkdir()
    write_csv(tmp / "raw" / "f.csv", header, rows)
    live = tmp / "trade.duckdb"
    shutil.copyfile(fixture_warehouse, live)
    before = refresh.sha256(live)
    with skipping_known_bugs():
        code = cli.main(["refresh", "--raw", str(tmp / "raw"), "--db", str(live)])
    out = capsys.readouterr()
    assert code in (0, 1)
    assert "Traceback" not in out.out + out.err
    if code == 1:
        assert refresh.sha256(live) == before and "nothing published" in out.err
    assert not list(tmp.glob("*.building-*"))


# ------------------------------------------------------------------ bugs found by the fuzzers (each a plain repro)

@pytest.mark.parametrize("big", ["9" * 400, "1" + "0" * 20])
def test_number_beyond_float_range_is_refused(tmp_path, live, capsys, big):
    header, valid = FORMATS["russia_customs"]
    rows = [[*valid[:1], f"{m:02d}/2021", *valid[2:5], big if m == 1 else "1000", *valid[6:]]
            for m in range(1, 13)]
    raw = tmp_path / "raw"
    raw.mkdir()
    write_csv(raw / "huge.csv", header, rows)
    before = refresh.sha256(live)
    try:
        code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])
    finally:
        out = capsys.readouterr()
    assert code == 1 and "huge.csv, row 2, column 'STOIM'" in out.out
    assert refresh.sha256(live) == before


def test_cr_line_ends_with_a_title_row(tmp_path, ref):
    header, valid = FORMATS["russia_customs"]
    path = tmp_path / "mac.csv"
    write_csv(path, header, [valid], newline="\r", titles=["Volgograd 2021"])
    result = check_adapter(path, "mac.csv", ref)
    assert result is not None and len(result.rows) == 1


def test_line_separator_in_a_title_row_loses_no_row(tmp_path, ref):
    header, valid = FORMATS["russia_customs"]
    rows = [[valid[0], f"{m:02d}/2021", *valid[2:]] for m in (1, 2)]
    path = tmp_path / "sep.csv"
    write_csv(path, header, rows, titles=["Volgograd\u20282021"])
    result = check_adapter(path, "sep.csv", ref)
    assert result.total_rows == 2 and len(result.rows) == 2


def test_period_outside_the_warehouse_calendar_is_a_row_reject(tmp_path, live, capsys):
    header, valid = FORMATS["russia_customs"]
    rows = [[valid[0], "01/1985", *valid[2:]]] + [[valid[0], f"{m:02d}/2021", *valid[2:]] for m in range(1, 12)]
    raw = tmp_path / "raw"
    raw.mkdir()
    write_csv(raw / "old.csv", header, rows)
    before = refresh.sha256(live)
    code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])
    out = capsys.readouterr()
    assert refresh.sha256(live) == before
    assert code == 1 and "old.csv, row 2, column 'PERIOD'" in out.out + out.err
    assert "unchanged" in out.err


# ------------------------------------------------------------------ limits

def test_readme_states_the_limits():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for size, rows in ((readers.MAX_FILE_BYTES, readers.MAX_ROWS), (readers.MAX_WHOLE_FILE_BYTES,
                                                                     readers.MAX_WHOLE_ROWS)):
        assert f"{size // 2**20} MB" in readme
        assert f"{rows:,}" in readme


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_file_over_the_size_limit_is_refused(tmp_path, live, capsys, fmt):
    """A sparse file one byte over its limit (a real header, then holes: no disk used, and not read):
    a CSV streamed through DuckDB, or a JSON read whole."""
    raw = tmp_path / "raw"
    raw.mkdir()
    path = raw / f"huge.{fmt}"
    if fmt == "csv":
        header, valid = FORMATS["russia_customs"]
        write_csv(path, header, [valid])
        limit = readers.MAX_FILE_BYTES
    else:
        path.write_text('{"data": [{"reporterCode": 364, "refYear": 2021', encoding="utf-8")
        limit = readers.MAX_WHOLE_FILE_BYTES
    with open(path, "r+b") as f:
        f.truncate(limit + 1)
    before = refresh.sha256(live)

    code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1
    assert f"the file is larger than the {limit // 2**20} MB limit; split it by year" in text
    assert path.name in text
    assert "Traceback" not in text and "unchanged" in out.err
    assert refresh.sha256(live) == before

    assert cli.main(["validate", str(path)]) == 1
    assert f"larger than the {limit // 2**20} MB limit" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["russia_customs", "comtrade_json"])
def test_file_over_the_row_limit_is_refused(tmp_path, live, capsys, monkeypatch, fmt):
    monkeypatch.setattr(readers, "MAX_ROWS", 10)
    monkeypatch.setattr(comtrade, "MAX_ROWS", 10)  # comtrade imports the constant by name
    raw = tmp_path / "raw"
    raw.mkdir()
    if fmt == "comtrade_json":
        _, valid = FORMATS["comtrade"]
        record = dict(zip(comtrade.FIELDS, valid, strict=True))
        (raw / "many.json").write_text(json.dumps({"data": [record] * 11}), encoding="utf-8")
        expected = "more than 10 records"
    else:
        header, valid = FORMATS["russia_customs"]
        write_csv(raw / "many.csv", header, [[valid[0], f"{m:02d}/2021", *valid[2:]] for m in range(1, 12)])
        expected = "the file has more than 10 data rows; split it by year"
    before = refresh.sha256(live)

    code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1
    assert "many." in text and expected in text
    assert "Traceback" not in text
    assert refresh.sha256(live) == before


def test_row_limit_allows_exactly_the_limit(tmp_path, ref, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 10)
    header, valid = FORMATS["russia_customs"]
    path = tmp_path / "ten.csv"
    write_csv(path, header, [[valid[0], f"{m:02d}/2021", *valid[2:]] for m in range(1, 11)])
    assert len(check_adapter(path, "ten.csv", ref).rows) == 10


# ------------------------------------------------------------------ HTML and script in names (real browser)

def iran_file(path: Path, hs: str, bad_partner: str, n: int = 40, bad_at: int = 17, office: str = "",
              office_at: int = 23) -> None:
    """n rows of Iranian customs data, one of which has `bad_partner` as its partner country (a rejected
    row) and one `office` as its customs office (unknown: a row loaded with a warning)."""
    months = [(y, m) for y in (1400, 1401, 1402, 1403) for m in range(1, 13)][:n]
    quoted = '"' + office.replace('"', '""') + '"'  # (HTML[2] holds a quote)
    lines = [IRAN_HEADER] + [
        ",".join(["صادرات", "مازندران", quoted if i == office_at else "", hs, bad_partner if i == bad_at else "روسیه",
                  str(y), str(m), "1000", str(1000 + i)]) for i, (y, m) in enumerate(months)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def html_warehouse(tmp_path_factory, ref) -> Path:
    raw = tmp_path_factory.mktemp("html_raw")
    iran_file(raw / "img.csv", "08105000", HTML[1], office=HTML[2])
    iran_file(raw / "script.csv", "25232900", HTML[0])
    live = tmp_path_factory.mktemp("html_wh") / "trade.duckdb"
    result = refresh.refresh(raw, live, ref=ref)
    assert result.published, result.reason  # 1 bad row in 40 is under the 5 % refusal threshold
    assert sorted(r.value for r in result.rejects) == sorted(HTML[:2])
    assert [(w.file, w.value, w.first_row) for w in result.warnings] == [("img.csv", HTML[2], 25)]
    return live


@contextmanager
def data_page(chromium, warehouse: Path, query_string: str = ""):
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, guard_network, streamlit_server, wait_for_charts

    with streamlit_server(warehouse) as (base, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 2400})
            blocked: list[str] = []
            guard_network(context, blocked)
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(f"{base}/data{query_string}")
            wait_for_charts(page, 1)
            # the table's cells are drawn on a canvas; their text is in a hidden accessibility table
            page.get_by_text(HTML[1]).first.wait_for(state="attached", timeout=30_000)
            yield page, dialogs, blocked
        finally:
            browser.close()


@pytest.mark.browser
def test_html_in_names_reaches_the_page_as_text(chromium, html_warehouse):
    url_html = "<img src=x onerror=alert(2)>"
    from urllib.parse import quote

    with data_page(chromium, html_warehouse, f"?flow={quote(url_html)}") as (page, dialogs, blocked):
        page.wait_for_timeout(1500)  # give an injected handler time to fire
        # the rejected cells, the unknown office of a row loaded with a warning, a URL value quoted in a message
        for text in (*HTML, url_html):
            assert page.get_by_text(text, exact=False).count() >= 1, text
        assert dialogs == []
        assert blocked == []
        for frame in page.frames:
            assert frame.locator("img[src='x']").count() == 0
            assert frame.evaluate("() => [...document.scripts].filter(s => s.text.includes('alert(')).length") == 0


@pytest.mark.browser
def test_url_value_is_not_rendered_as_a_link(chromium, html_warehouse):
    with data_page(chromium, html_warehouse, "?provinces=[official data](https://evil.example/)") as (page, _, _b):
        assert page.get_by_text("Ignored provinces").count() >= 1
        assert page.locator("a[href*='evil.example']").count() == 0


# ------------------------------------------------------------------ URL parameters

PARAMS = ("lang", "provinces", "flow", "from", "to", "sectors", "hs", "measure", "calendar")


@pytest.fixture
def recorded_sql(monkeypatch):
    """Every statement and parameter set the dashboard sends to the warehouse (observes, does not alter)."""
    import streamlit as st

    from analysis import db

    st.cache_data.clear()  # a cached result would hide the statements from the recorder
    st.cache_resource.clear()
    calls: list[tuple[str, dict]] = []
    original = db.Warehouse.query

    def record(self, sql, params=None):
        calls.append((sql, dict(params or {})))
        return original(self, sql, params)

    monkeypatch.setattr(db.Warehouse, "query", record)
    return calls


def flows_count(path: Path) -> tuple:
    return query(path, "select (select count(*) from core.flows), (select count(*) from meta), "
                       "(select count(*) from load_history)")[0]


def run_app(page: str, params: dict):
    at = app(page, **params)
    assert not at.exception, at.exception
    return at


def problems_text(at) -> str:
    return "\n".join(i.value for i in at.info)


@pytest.mark.parametrize("page", ["overview", "data"])
def test_sql_text_in_every_parameter(page, sample_warehouse, use_warehouse, recorded_sql):
    use_warehouse(sample_warehouse)
    before = flows_count(sample_warehouse)
    hostile = "x'); drop table core.flows; select ('"
    at = run_app(page, dict.fromkeys(PARAMS, hostile))
    text = problems_text(at)
    for p in PARAMS:
        assert f"{p}=" in text or f"{p}," in text, (p, text)
    assert all(hostile not in sql_text for sql_text, _ in recorded_sql)
    assert all(hostile not in repr(params) for _, params in recorded_sql)  # refused before SQL, not bound
    assert flows_count(sample_warehouse) == before
    assert at.title[0].value == t(f"nav.{page}", "en")


@pytest.mark.parametrize("param,value", [
    ("provinces", "IR-99,XX-00"), ("sectors", "weapons"), ("lang", "xx"), ("hs", "8"), ("flow", "transit"),
    ("measure", "gbp"), ("calendar", "mayan"), ("provinces", "A" * 10_000), ("from", "9" * 10_000),
    ("to", "2999-12"), ("from", "1900-01"), ("from", "0000-00"), ("to", "-1"), ("hs", "2; select 1"),
])
def test_unknown_codes_and_huge_values_are_refused(param, value, sample_warehouse, use_warehouse,
                                                  recorded_sql):
    use_warehouse(sample_warehouse)
    at = run_app("trends", {param: value})
    text = problems_text(at)
    assert f"{param}=" in text, text
    assert len(text) < 2000  # a 10,000-character value is cut, not echoed whole
    assert at.query_params[param] != value
    assert recorded_sql
    if len(value) >= 5:  # (a short value such as '8' occurs in SQL text by chance)
        assert all(value not in sql_text for sql_text, _ in recorded_sql)


def test_huge_range_is_refused_and_clamped(sample_warehouse, use_warehouse, recorded_sql):
    use_warehouse(sample_warehouse)
    at = run_app("trends", {"from": "1900-01", "to": "2999-12"})
    text = problems_text(at)
    assert "from=" in text and "to=" in text
    dates = [v for _, params in recorded_sql for k, v in params.get("filters", {}).items()
             if k in ("date_from", "date_to")]  # the filters are bound as one struct
    assert dates and min(dates).year >= 2019 and max(dates).year <= 2025  # clamped to the sample's data
    assert "2019" <= at.query_params["from"] <= at.query_params["to"] <= "2026"


def test_repeated_keys_are_named(sample_warehouse, use_warehouse):
    use_warehouse(sample_warehouse)
    at = run_app("overview", {"flow": ["export", "import"], "lang": ["fa", "ru", "en", "de"],
                              "provinces": ["IR-02", "IR-01"]})
    text = problems_text(at)
    for p in ("flow", "lang", "provinces"):
        assert p in text, text
    assert at.query_params["flow"] == "export"  # the first value is used
    assert at.title[0].value == t("nav.overview", "fa")


def test_sql_is_never_built_from_values():
    """Every statement sent by analysis/ and pages/ is a literal, a module constant or sql("name"):
    no f-string, %, + or .format can carry a value into SQL text."""
    files = sorted([*(ROOT / "analysis").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "dashboard.py"])
    offenders, seen = [], 0
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                     if isinstance(t, ast.Name) and t.id.isupper()}
        # loop variables over a module constant (for name in NAME_KINDS.items(), …)
        loop_vars = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.comprehension | ast.For):
                it = node.iter.func.value if isinstance(node.iter, ast.Call) and isinstance(
                    node.iter.func, ast.Attribute) else node.iter
                if isinstance(it, ast.Name) and it.id in constants:
                    loop_vars |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("query", "execute", "executemany", "sql") and node.args):
                continue
            if node.func.attr == "query" and not isinstance(node.args[0], ast.Call | ast.Constant | ast.Name):
                continue  # e.g. pandas' DataFrame.query is not SQL; a non-SQL query() is checked below anyway
            seen += 1
            if not _safe_sql(node.args[0], constants, loop_vars, path):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:100]}")
    assert seen >= 20
    assert offenders == []


def _safe_sql(arg: ast.expr, constants: set[str], loop_vars: set[str], path: Path) -> bool:
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return True
    if isinstance(arg, ast.Name) and arg.id in constants:
        return True
    if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "sql" and len(arg.args) == 1:
        a = arg.args[0]
        return (isinstance(a, ast.Constant) and isinstance(a.value, str)) or (
            isinstance(a, ast.Name) and a.id in loop_vars)
    # the one pass-through: Warehouse.query(sql, params) executes its caller's checked statement
    return path.name == "db.py" and isinstance(arg, ast.Name) and arg.id == "sql"


# ------------------------------------------------------------------ no path from a URL or a cell is opened

class OpenedPaths:
    """Paths Python opens while recording (an audit hook sees builtins.open, io.open and os.open)."""

    active = False
    paths: list[str] = []

    @classmethod
    def hook(cls, event: str, args: tuple) -> None:
        if cls.active and event in ("open", "os.listdir", "os.scandir", "shutil.copyfile") and args:
            cls.paths.append(str(args[0]))

    @classmethod
    @contextmanager
    def recording(cls):
        if not getattr(cls, "_installed", False):
            sys.addaudithook(cls.hook)
            cls._installed = True
        cls.paths, cls.active = [], True
        try:
            yield cls.paths
        finally:
            cls.active = False


PATHS = {"file": "/etc/passwd", "db": "/etc/passwd", "path": "../../../../etc/passwd",
         "lang": "../../etc/passwd", "provinces": "/etc/passwd", "sectors": "../../../etc/passwd",
         "from": "file:///etc/passwd", "calendar": "../../etc/passwd%00", "warehouse": "/etc/passwd"}


def test_no_path_from_the_url_is_opened(sample_warehouse, use_warehouse, recorded_sql):
    use_warehouse(sample_warehouse)
    with OpenedPaths.recording() as opened:
        at = run_app("data", PATHS)
    assert opened  # the recorder works (locale files, SQL files are opened)
    assert not [p for p in opened if "passwd" in p]
    assert not [s for s, params in recorded_sql if "passwd" in s or "passwd" in repr(params)]
    assert "lang=" in problems_text(at)


def test_no_path_from_a_cell_is_opened(tmp_path, ref):
    path = tmp_path / "manual.csv"
    header, valid = FORMATS["manual"]
    row = list(valid)
    row[header.index("url")] = "file:///etc/passwd"
    row2 = list(valid)
    row2[header.index("source_note")], row2[header.index("period")] = "/etc/passwd", "2023"
    write_csv(path, header, [row, row2])
    with OpenedPaths.recording() as opened:
        result = check(path, "manual.csv", ref, expect="manual")
        raw = tmp_path / "raw"
        raw.mkdir()
        shutil.copyfile(path, raw / "manual.csv")
        published = refresh.refresh(raw, tmp_path / "trade.duckdb", ref=ref)
    assert published.published, published.reason
    assert [p for p in opened if "passwd" in p] == []
    assert "direct;url=file:///etc/passwd" in set(result.rows["flags"])
    flags = query(tmp_path / "trade.duckdb", "select flags from core.flows where flags like '%passwd%'")
    assert flags == [("direct;url=file:///etc/passwd",)]



def test_empty_manual_template_is_a_named_refusal(tmp_path, live, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(ROOT / "data/reference/manual_template.csv", raw / "manual_template.csv")
    try:
        code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])
    finally:
        out = capsys.readouterr()
    assert code == 1 and "manual_template.csv — the file has a header but no data rows" in out.out


@pytest.mark.parametrize("same_values", [True, False], ids=["duplicates", "conflicts"])
def test_many_duplicate_rows_are_checked_quickly(tmp_path, ref, same_values):
    """3,000 rows of one record: with the same values 2,999 duplicates of the first; with different
    values 3,000 conflicting rows (none can be trusted), each message naming another row."""
    import signal

    header, valid = FORMATS["russia_customs"]
    path = tmp_path / "dups.csv"
    write_csv(path, header, [[*valid[:5], "1000" if same_values else str(i + 1), *valid[6:]] for i in range(3000)])

    def too_slow(*_):
        raise TimeoutError("validating 3,000 duplicate rows took more than 5 s")

    signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, 5)
    try:
        result, _ = refresh.validate([(path, "dups.csv")], ref)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    assert result.files[0].status == "refused"
    assert result.files[0].rows_rejected == (2999 if same_values else 3000)
    word = "duplicate record" if same_values else "conflicting records"
    assert all(word in r.reason and "dups.csv row " in r.reason for r in result.rejects)
    if not same_values:
        assert result.rejects[0].reason.startswith("conflicting records: same partner, product, period and flow "
                                                   "as dups.csv row 3 but different values (value_usd 1, ")

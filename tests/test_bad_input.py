"""The bad-input corpus: each file is answered by a message naming file, row, column and what was
expected, nothing is published, and the live warehouse stays byte-for-byte what it was."""

from __future__ import annotations

import csv
import shutil

import pytest

from etl import cli
from etl.refresh import sha256
from tests.conftest import FIXTURES

BAD = FIXTURES / "bad"
CASES = list(csv.DictReader(open(BAD / "cases.csv", encoding="utf-8")))


def test_corpus_is_complete():
    listed = {c["file"] for c in CASES}
    on_disk = {p.name for p in BAD.iterdir() if p.name != "cases.csv"}
    assert listed == on_disk
    assert len(listed) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_file_is_refused_with_a_clear_message(case, tmp_path, live, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(BAD / case["file"], raw / case["file"])
    before = sha256(live)

    code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])

    out = capsys.readouterr()
    text = out.out + out.err
    assert code == 1
    assert "nothing published" in text
    assert case["file"] in text
    if case["row"]:
        assert f"row {case['row']}" in text
    if case["column"]:
        assert f"column '{case['column']}'" in text
    if case["expect"]:
        assert case["expect"] in text
        if case["file"] != "conflicting_rows.csv":  # (a conflict is told from each of its two rows)
            assert text.count(case["expect"]) == 1, "the message is shown more than once"
    assert "Traceback" not in text
    assert sha256(live) == before
    assert not list(live.parent.glob("*.building-*"))


def test_validate_reports_without_writing(tmp_path, capsys):
    code = cli.main(["validate", str(BAD / "month_13.csv"), str(BAD / "negative_value.csv")])
    text = capsys.readouterr().out
    assert code == 1
    assert "month_13.csv, row 3, column 'سال, ماه'" in text
    assert "negative_value.csv, row 3, column 'STOIM'" in text


def test_under_threshold_rows_are_rejected_but_file_loads(tmp_path, live, capsys):
    """One bad row in 25 (4 %) is recorded, the rest published."""
    lines = (FIXTURES / "russia_customs/ru_headers_utf8.csv").read_text(encoding="utf-8").splitlines()
    header, row = lines[0], lines[1]
    body = [row.replace("01/2021", f"{m:02d}/20{y}") for y in (19, 20) for m in range(1, 13)]
    body.append(row.replace("250000.50", "-1"))
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "volgograd.csv").write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])
    assert code == 0, capsys.readouterr()
    from tests.conftest import query

    assert query(live, "select count(*) from core.flows")[0][0] == 24
    assert query(live, "select file, row, \"column\", reason from rejected_rows") == [
        ("volgograd.csv", 26, "STOIM", "expected a non-negative value in US dollars (below 10 trillion)")]
    # a stricter threshold refuses the same file
    code = cli.main(["refresh", "--raw", str(raw), "--db", str(live), "--max-reject-pct", "1"])
    assert code == 1
    out = capsys.readouterr()
    assert out.out.count("more than the 1 % allowed") == 1 and "nothing published" in out.err

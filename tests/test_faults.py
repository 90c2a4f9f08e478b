"""Faults: a refresh killed at random points, a full disk, a raw file deleted or changed while it is
read, a missing or corrupt live warehouse when the dashboard starts. In every case the last good
warehouse survives and the message says what to do. The long versions are in bench/faults.py."""

from __future__ import annotations

import functools
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from analysis.i18n import t
from etl import cli, refresh, warehouse
from tests.conftest import ROOT, copy_fixtures, query
from tests.test_dashboard import app

RUSSIA_HEADER = "NAPR,PERIOD,STRANA,TNVED,EDIZM,STOIM,NETTO,KOL,REGION,REGION_S"
VOLGOGRAD = "18000 - ВОЛГОГРАДСКАЯ ОБЛАСТЬ,04-ЮЖНЫЙ ФЕДЕРАЛЬНЫЙ ОКРУГ"


# ------------------------------------------------------------------ helpers (bench/faults.py uses them too)

def cli_refresh(*args: str, stdout=subprocess.PIPE, stderr=subprocess.PIPE) -> subprocess.Popen:
    """`python -m etl refresh …` as the user runs it, in its own process."""
    return subprocess.Popen([sys.executable, "-m", "etl", "refresh", *args], cwd=ROOT, stdout=stdout, stderr=stderr,
                            text=True)


def leftovers(folder: Path) -> list[str]:
    """Half-built warehouses (and their WAL) a refresh left behind."""
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name or ".tmp-" in p.name)


def live_state(live: Path) -> tuple[str, int]:
    """(version, rows in core.flows) of a warehouse file; raises if it does not open."""
    return warehouse.read_meta(live)["version"], query(live, "select count(*) from core.flows")[0][0]


@functools.cache
def tnved_codes() -> list[str]:
    """~940 ten-digit codes whose first six digits are HS 2022 subheadings."""
    codes = warehouse.hs_nomenclature()
    return [c + "0000" for c in codes[codes["level"] == "6"]["code"][::6]]


def russia_file(path: Path, rows: int, *, value: int = 1000) -> int:
    """A valid Russian customs CSV of `rows` distinct rows (84 months of 2019–2025 × products, at most
    ~78,000); returns its dollar total."""
    codes = tnved_codes()
    assert rows <= 84 * len(codes)
    lines = [RUSSIA_HEADER]
    for i in range(rows):
        month, code = i % 84, codes[i // 84]
        lines.append(f"ЭК,{month % 12 + 1:02d}/{2019 + month // 12},IR,{code},КГ,{value + i},1000,1000,{VOLGOGRAD}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sum(value + i for i in range(rows))


def opened_by(pid: int, target: Path) -> bool:
    """Whether process `pid` holds `target` open right now (Linux /proc)."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(target):
                return True
        except OSError:
            continue
    return False


def wait_until_opened(proc: subprocess.Popen, target: Path, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if opened_by(proc.pid, target):
            return True
    return False


def kill_after(proc: subprocess.Popen, delay: float, folder: Path) -> str:
    """SIGKILL `proc` after `delay` s; the stage it had reached, as far as the folder (which must
    hold no previous warehouse yet) tells: reading, building, published (not yet exited), finished."""
    time.sleep(delay)
    if proc.poll() is not None:
        return "finished"
    names = [p.name for p in folder.iterdir()]
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if any(".previous." in n for n in names):
        return "published"
    return "building" if any(".building-" in n for n in names) else "reading"


class MountRefused(Exception):
    pass


@contextmanager
def small_disk(folder: Path, size_kb: int):
    """A tmpfs of `size_kb` mounted on `folder` (needs root), unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                           capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise MountRefused(str(e)) from None
    if r.returncode != 0:
        raise MountRefused(r.stderr.strip() or f"mount exited with {r.returncode}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def disk_full_run(tmp: Path, fixture_warehouse: Path) -> dict:
    """Refresh the sample into a live warehouse on a disk with room for the live file and 2 MiB."""
    disk = tmp / "disk"
    size_kb = fixture_warehouse.stat().st_size // 1024 + 2048
    with small_disk(disk, size_kb):
        live = disk / "trade.duckdb"
        shutil.copyfile(fixture_warehouse, live)
        before = refresh.sha256(live)
        proc = cli_refresh("--sample", "--db", str(live))
        out, err = proc.communicate(timeout=300)
        return {"code": proc.returncode, "out": out, "err": err, "size_kb": size_kb,
                "unchanged": refresh.sha256(live) == before, "state": live_state(live), "before": before,
                "leftovers": leftovers(disk), "free_kb": shutil.disk_usage(disk).free // 1024}


# ------------------------------------------------------------------ refresh killed at a random point

@pytest.fixture(scope="module")
def sample_refresh_seconds(tmp_path_factory) -> float:
    """How long `python -m etl refresh --sample` takes here, process start included (measured once)."""
    live = tmp_path_factory.mktemp("timing") / "trade.duckdb"
    t0 = time.perf_counter()
    proc = cli_refresh("--sample", "--db", str(live), stdout=subprocess.DEVNULL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    return time.perf_counter() - t0


@pytest.mark.parametrize("run", range(3))
def test_refresh_killed_at_a_random_point(run, tmp_path, fixture_warehouse, sample_refresh_seconds):
    live = tmp_path / "trade.duckdb"
    shutil.copyfile(fixture_warehouse, live)
    old = live_state(live)
    delay = random.Random(20261126 + run).uniform(0, sample_refresh_seconds)
    proc = cli_refresh("--sample", "--db", str(live), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stage = kill_after(proc, delay, tmp_path)
    why = f"killed after {delay:.2f} s of {sample_refresh_seconds:.2f} s, while {stage}"

    if stage in ("published", "finished"):  # the swap beat the kill: the new version is live, the old kept
        assert stage == "published" or proc.returncode == 0, why
        assert live_state(live)[1] > 0 and live_state(warehouse.previous_path(live)) == old, why
    else:
        assert live_state(live) == old, why  # opens, at its old version, with all its rows
    # the next refresh succeeds and removes what the killed one left behind
    raw = copy_fixtures(tmp_path / "raw", "russia_customs")
    assert refresh.refresh(raw, live).published, why
    assert leftovers(tmp_path) == [], why
    assert live_state(live)[1] > 0


# ------------------------------------------------------------------ disk full while writing the new warehouse

@pytest.fixture(scope="module")
def disk_full(tmp_path_factory, fixture_warehouse) -> dict:
    try:
        return disk_full_run(tmp_path_factory.mktemp("full"), fixture_warehouse)
    except MountRefused as e:
        if os.environ.get("CI") and os.geteuid() == 0:
            pytest.fail(f"CI runs as root, so mounting a small tmpfs must work: {e}")
        pytest.skip(f"cannot mount a small tmpfs to fill ({e}); run as root to test a full disk")


def test_disk_full_leaves_the_live_warehouse_intact(disk_full):
    assert disk_full["code"] == 1
    assert disk_full["unchanged"]  # byte for byte
    assert disk_full["state"][1] > 0  # and it still opens
    assert disk_full["leftovers"] == []  # no building-* file (or its WAL) takes the space
    assert disk_full["free_kb"] > 1024


def test_disk_full_message_says_what_to_do(disk_full):
    err = disk_full["err"]
    assert "Traceback" not in err
    assert re.search(r"disk (is )?full|no space left", err, re.IGNORECASE), err[-600:]
    assert "unchanged" in err and "nothing published" in err


# ------------------------------------------------------------------ a raw file deleted or changed while it is read

@pytest.fixture(scope="module")
def big_raw(tmp_path_factory) -> tuple[Path, int, str]:
    """A raw folder with one ~8 MB Russian customs file of 60,000 valid rows (and its sha256)."""
    raw = tmp_path_factory.mktemp("bigraw") / "raw"
    russia_file(raw / "russia_customs" / "volgograd_all.csv", 60_000)
    return raw, 60_000, refresh.sha256(raw / "russia_customs" / "volgograd_all.csv")


def assert_clean_failure_or_consistent(code: int, text: str, live: Path, before: str, name: str,
                                       content: Path | None) -> str:
    """Either nothing was published and the message names the file, or what was published is
    exactly the file's content that load_history's sha256 names."""
    assert "Traceback" not in text
    if code == 1:
        assert name in text and "nothing published" in text and "unchanged" in text, text[-800:]
        assert refresh.sha256(live) == before
        assert leftovers(live.parent) == []
        return "refused"
    assert code == 0, text[-800:]
    rows = query(live, "select sha256, rows_total from load_history where file = $f", {"f": name})
    if not rows:  # deleted before the refresh listed the folder: loaded without it
        return "published without it"
    digest, total = rows[0]
    loaded = query(live, "select count(*), sum(value_usd) from core.flows where file = $f", {"f": name})[0]
    assert content is not None and digest == refresh.sha256(content), "load_history names other content"
    expected = len(content.read_text(encoding="utf-8").splitlines()) - 1
    assert total == loaded[0] == expected, "the rows loaded are not the file that was hashed"
    return "published consistent"


@pytest.mark.parametrize("when", ["hashing", "parsing"])
def test_raw_file_deleted_while_it_is_read(when, tmp_path, big_raw, live):
    """A real race: the file is deleted while the refresh process has it open (seen in /proc)."""
    src, _, _ = big_raw
    raw = tmp_path / "raw"
    shutil.copytree(src, raw)
    keep = tmp_path / "original.csv"
    shutil.copyfile(raw / "russia_customs/volgograd_all.csv", keep)
    target = raw / "russia_customs/volgograd_all.csv"
    before = refresh.sha256(live)
    proc = cli_refresh("--raw", str(raw), "--db", str(live))
    assert wait_until_opened(proc, target), "the refresh never opened the file"
    if when == "parsing":
        time.sleep(0.3)
    target.unlink()
    out, err = proc.communicate(timeout=300)
    outcome = assert_clean_failure_or_consistent(proc.returncode, out + err, live, before,
                                                 "russia_customs/volgograd_all.csv", keep)
    assert outcome in ("refused", "published consistent")


@pytest.fixture
def after_hashing(monkeypatch):
    """Inject a fault at the instant after the refresh hashed a file (the hash load_history will
    record) and before its adapter reads it. Observes the real sha256; alters nothing else."""

    def install(target: str, fault) -> None:
        original = refresh.scan

        def scan(path: Path):
            facts = original(path)  # the pass that hashes the file
            if path.name == target:
                fault(path)
            return facts

        monkeypatch.setattr(refresh, "scan", scan)

    return install


def test_raw_file_deleted_after_hashing(tmp_path, big_raw, live, after_hashing, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(big_raw[0], raw)
    before = refresh.sha256(live)
    after_hashing("volgograd_all.csv", lambda p: p.unlink())
    code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert assert_clean_failure_or_consistent(code, text, live, before, "russia_customs/volgograd_all.csv",
                                              None) == "refused"
    assert "could not be read" in text


def _rewrite(path: Path) -> None:
    russia_file(path, 1000, value=7)  # another valid file: other rows, other values


def _truncate_mid_row(path: Path) -> None:
    """Cut the file half way, inside a row but after a comma (so it stays valid UTF-8)."""
    data = path.read_bytes()
    with open(path, "r+b") as f:
        f.truncate(data.rindex(b",", 0, len(data) // 2) + 1)


@pytest.mark.parametrize("fault", [_rewrite, _truncate_mid_row], ids=["rewritten", "truncated"])
def test_raw_file_changed_after_hashing_is_not_published_inconsistently(fault, tmp_path, big_raw, live,
                                                                         after_hashing, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(big_raw[0], raw)
    target = raw / "russia_customs/volgograd_all.csv"
    before = refresh.sha256(live)
    after_hashing(target.name, fault)
    code = cli.main(["refresh", "--raw", str(raw), "--db", str(live)])
    out = capsys.readouterr()
    assert_clean_failure_or_consistent(code, out.out + out.err, live, before, "russia_customs/volgograd_all.csv",
                                       target)


# ------------------------------------------------------------------ live warehouse missing or corrupt at start

def _break(live: Path, how: str, good: Path) -> None:
    if how == "missing":
        return
    if how == "garbage":
        live.write_bytes(b"this is not a duckdb file" * 400)
    elif how == "truncated":  # a copy cut short, as a full disk or a killed cp leaves it
        data = good.read_bytes()
        live.write_bytes(data[: len(data) // 3])
    elif how == "empty":
        live.write_bytes(b"")
    elif how == "other_database":  # a DuckDB file, but not a warehouse
        con = duckdb.connect(str(live))
        con.execute("create table x as select 1 as a")
        con.close()


@pytest.mark.parametrize("lang", ["en", "fa"])
@pytest.mark.parametrize("how", [
    "missing", "garbage", "empty", "other_database", "truncated"])
def test_dashboard_start_without_a_good_live_warehouse(how, lang, tmp_path, fixture_warehouse, use_warehouse):
    live = tmp_path / "trade.duckdb"
    prev = warehouse.previous_path(live)
    shutil.copyfile(fixture_warehouse, prev)
    _break(live, how, fixture_warehouse)
    snapshot = live.read_bytes() if live.exists() else None
    use_warehouse(live)

    at = app("overview", lang=lang)

    assert not at.exception, at.exception
    assert at.title[0].value == t("app.title", lang)
    assert len(at.error) == 1
    if how == "missing":
        assert at.error[0].value == t("empty.no_warehouse", lang, command="`python -m etl refresh --sample`")
    else:
        head, tail = t("error.warehouse_corrupt", lang, error="§", command="`python -m etl refresh`").split("§")
        assert at.error[0].value.startswith(head) and at.error[0].value.endswith(tail), at.error[0].value
    # the previous warehouse is offered, with the command that puts it back, and it is intact
    assert [i.value for i in at.info] == [t("error.previous_available", lang, path=f"`{prev}`",
                                            command=f"`cp {prev} {live}`")]
    assert live_state(prev)[1] > 0
    assert (live.read_bytes() if live.exists() else None) == snapshot  # the dashboard wrote nothing


@pytest.mark.parametrize("how", ["missing", "garbage"])
def test_no_previous_warehouse_is_not_offered(how, tmp_path, fixture_warehouse, use_warehouse):
    live = tmp_path / "trade.duckdb"
    _break(live, how, fixture_warehouse)
    use_warehouse(live)
    at = app("data", lang="fa")
    assert not at.exception
    assert "python -m etl refresh" in at.error[0].value
    assert not at.info

"""Shared fixtures: real reference data, real DuckDB warehouses built by the real ETL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import refresh
from etl.reference import Reference

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_REAL = ROOT.parent / "shared" / "reference" / "real"
ARTIFACTS = ROOT / "test-artifacts"
GOOD_FORMATS = ("russia_customs", "iran_customs", "comtrade", "manual")


@pytest.fixture(scope="session")
def ref() -> Reference:
    return Reference.load()


def copy_fixtures(dest: Path, *folders: str) -> Path:
    for folder in folders:
        src = FIXTURES / folder
        if src.is_dir():
            shutil.copytree(src, dest / folder, ignore=shutil.ignore_patterns("expected", "*.md"))
    return dest


@pytest.fixture(scope="session")
def fixture_raw(tmp_path_factory) -> Path:
    """A raw folder holding every good fixture file of every format."""
    return copy_fixtures(tmp_path_factory.mktemp("raw"), *GOOD_FORMATS)


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory, fixture_raw, ref) -> Path:
    """A warehouse built from the fixture files by the real refresh."""
    live = tmp_path_factory.mktemp("wh") / "trade.duckdb"
    result = refresh.refresh(fixture_raw, live, ref=ref)
    assert result.published, result.reason
    return live


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory, ref) -> Path:
    """The shipped synthetic sample, built by the real refresh."""
    from etl import paths

    live = tmp_path_factory.mktemp("sample") / "trade.duckdb"
    result = refresh.refresh(paths.SAMPLE_RAW, live, ref=ref, is_sample=True)
    assert result.published, result.reason
    return live


@pytest.fixture
def live(tmp_path, fixture_warehouse) -> Path:
    """A copy of the fixture warehouse as a test's live warehouse."""
    path = tmp_path / "wh" / "trade.duckdb"
    path.parent.mkdir()
    shutil.copyfile(fixture_warehouse, path)
    return path


@pytest.fixture
def use_warehouse(monkeypatch):
    """Point the dashboard (analysis.db) and the CLI defaults at another warehouse file."""
    def use(path: Path) -> None:
        import analysis.db
        import etl.paths

        monkeypatch.setattr(etl.paths, "WAREHOUSE", path)
        monkeypatch.setattr(analysis.db, "WAREHOUSE", path)
        monkeypatch.setattr(analysis.db, "_current", None)

    return use


def query(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI (apt-get install chromium fonts-dejavu-core)")
        pytest.skip("Chromium not installed: `apt-get install chromium fonts-dejavu-core` to run browser tests")
    return path

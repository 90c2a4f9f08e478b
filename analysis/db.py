"""Read-only access to the live warehouse, following its atomic swaps.

DuckDB keeps one database instance per file path in a process, so `duckdb.connect(path)` after an
`os.replace` swap returns the old file (DESIGN §7). Each version is therefore opened in its own
in-memory instance that ATTACHes the file read-only: a new version gets a new instance and sees the
new file, while queries already running on the old one finish on the old file (its inode lives on
until the last connection closes). Versions are told apart by the live file's identity (inode and
mtime), checked on every `current()` call.

Errors are told apart (`is_damage`): an unreadable or torn file (I/O errors, corrupt blocks) means
the warehouse must be rebuilt; any other error of a query is a bug in the query, not in the file.
A warehouse built for another schema version (etl.warehouse.SCHEMA_VERSION) is refused on opening.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from etl.paths import WAREHOUSE
from etl.warehouse import SCHEMA_VERSION

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
# What a damaged file raises: reads that fail or return torn blocks, and a database DuckDB has
# invalidated after such an error. Corrupt blocks come as a plain duckdb.Error ("Corrupt database file").
DAMAGE = (duckdb.IOException, duckdb.SerializationException, duckdb.FatalException, OSError)


class WarehouseMissing(Exception):
    pass


class WarehouseOutdated(Exception):
    """The file was built by another version of the ETL; the read side needs its schema."""

    def __init__(self, found: str, expected: int = SCHEMA_VERSION):
        super().__init__(f"warehouse schema version {found or '?'}, this version reads {expected}")
        self.found, self.expected = found, expected


def is_damage(error: BaseException) -> bool:
    """Whether `error` says the warehouse file is unreadable (rebuild it) rather than a query is wrong."""
    if isinstance(error, DAMAGE):
        return True
    return type(error) is duckdb.Error and "corrupt" in str(error).lower()


@dataclass(frozen=True)
class Identity:
    path: str
    inode: int
    mtime_ns: int


def identity(path: Path | None = None) -> Identity:
    path = path or WAREHOUSE
    try:
        st = path.stat()
    except FileNotFoundError:
        raise WarehouseMissing(f"no warehouse at {path}") from None
    return Identity(str(path), st.st_ino, st.st_mtime_ns)


class Warehouse:
    """One read-only connection to one version of the warehouse file; a cursor per query."""

    def __init__(self, ident: Identity):
        self.identity = ident
        self.con = duckdb.connect(":memory:")
        self.con.execute("attach $path as wh (read_only)", {"path": ident.path})
        self.con.execute("use wh")
        self.meta = dict(self.con.execute("select key, value from meta").fetchall())
        if self.meta.get("schema_version") != str(SCHEMA_VERSION):
            self.con.close()
            raise WarehouseOutdated(self.meta.get("schema_version", ""))

    @property
    def version(self) -> str:
        return self.meta.get("version", "")

    @property
    def is_sample(self) -> bool:
        return self.meta.get("is_sample") == "True"

    def query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        """Run one statement with bound parameters. Parameters the statement does not name are
        dropped (DuckDB refuses extras), so callers can pass a filter's full parameter set."""
        used = set(_PARAM.findall(sql))
        bound = {k: v for k, v in (params or {}).items() if k in used}
        cur = self.con.cursor()
        try:
            cur.execute("use wh")  # a cursor starts in the in-memory catalog
            return cur.execute(sql, bound).df()
        finally:
            cur.close()

    def close(self) -> None:
        self.con.close()


_current: Warehouse | None = None
_lock = threading.Lock()


def current(path: Path | None = None) -> Warehouse:
    """The warehouse at `path` (default: the live one) as it is now (reopened after a swap)."""
    global _current
    ident = identity(path or WAREHOUSE)
    with _lock:
        if _current is None or _current.identity != ident:
            _current = Warehouse(ident)  # the old one is closed by garbage collection when unused
        return _current


def sql(name: str) -> str:
    """The text of analysis/sql/<name>.sql (names are ours, never from input)."""
    return (SQL_DIR / f"{name}.sql").read_text()

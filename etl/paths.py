"""Where things live, relative to the project root (overridable on the command line)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
REFERENCE = DATA / "reference"
SAMPLE_RAW = DATA / "sample" / "raw"
SAMPLE_TRUTH = DATA / "sample" / "truth"
# CTM_WAREHOUSE points the dashboard and the CLI at another warehouse file (tests, a second copy)
WAREHOUSE = Path(os.environ.get("CTM_WAREHOUSE", DATA / "warehouse" / "trade.duckdb"))
SQL = Path(__file__).resolve().parent / "sql"

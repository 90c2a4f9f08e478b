"""One named function per question the pages ask; bound parameters only; DataFrames out."""

from __future__ import annotations

import pandas as pd

from analysis.db import Warehouse, sql


def overview_by_year(wh: Warehouse) -> pd.DataFrame:
    return wh.query(sql("overview_by_year"))

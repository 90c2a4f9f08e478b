"""The data exactly as plotted, read back from a figure's traces: what a CSV or XLSX export holds."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go


def figure_data(fig: go.Figure) -> pd.DataFrame:
    """The data exactly as plotted, read back from the traces, one table for the whole figure.

    Column `trace` holds the trace's name ("" when unnamed), then per trace type:
    bar/scatter: x, y, then the columns the trace carries in `customdata` as its `meta["columns"]`
    names them (the estimate charts: p10, p90, lower, upper, method — analysis.figures.interval_data),
    or else, when the trace has error bars, lower and upper (the value ± the error as drawn); one row
    per point; treemap: ids, labels, parents, values; heatmap: the long form
    x, y, z; scattermap/scattermapbox/scattergeo: lon, lat, text. Any other type: its 1-D x, y, z,
    lat, lon, labels, values and text arrays.

    Skipped: helper traces that draw one edge of a filled band and carry nothing of their own —
    hoverinfo "skip", no name, lines of width 0 — and band edges whose values another trace carries as
    columns (`meta["band_of"]`, as in the trend charts). Any other band edge with a name is plotted
    data and kept.
    """
    frames = []
    for trace in fig.data:
        if _band_helper(trace):
            continue
        name = trace.name or ""
        kind = trace.type
        if kind in ("bar", "scatter", "scattergl"):
            frame = _xy(trace)
        elif kind == "treemap":
            frame = pd.DataFrame({c: _arr(getattr(trace, c)) for c in ("ids", "labels", "parents", "values")})
        elif kind == "heatmap":
            frame = _heatmap(trace)
        elif kind in ("scattermap", "scattermapbox", "scattergeo"):
            lon, lat = _arr(trace.lon), _arr(trace.lat)
            text = _arr(trace.text) if trace.text is not None and not isinstance(trace.text, str) else \
                [trace.text] * len(lon)
            frame = pd.DataFrame({"lon": lon, "lat": lat, "text": text})
        else:
            frame = pd.DataFrame({c: _arr(getattr(trace, c, None)) for c in ("x", "y", "z", "lat", "lon", "labels",
                                                                               "values", "text")
                                  if _is_1d(getattr(trace, c, None))})
        frame.insert(0, "trace", name)
        frames.append(frame)
    if not frames:
        return pd.DataFrame({"trace": pd.Series(dtype="object")})
    return pd.concat(frames, ignore_index=True)


def _meta(trace, key: str):
    meta = getattr(trace, "meta", None)
    return meta.get(key) if isinstance(meta, dict) else None


def _band_helper(trace) -> bool:
    if trace.type == "scatter" and _meta(trace, "band_of"):
        return True
    if trace.type != "scatter" or trace.name or trace.hoverinfo != "skip":
        return False
    return trace.line.width == 0 or bool(trace.fill)


def _is_1d(v) -> bool:
    return v is not None and not isinstance(v, str) and np.ndim(np.asarray(v, dtype=object)) == 1


def _arr(v) -> list:
    if v is None:
        return []
    a = np.asarray(v)
    if np.issubdtype(a.dtype, np.datetime64):
        return list(pd.to_datetime(a))
    return list(v)


def _column(v, n: int) -> pd.Series:
    """A trace coordinate as a Series; datetimes stay datetimes, a missing x/y is the point index."""
    if v is None:
        return pd.Series(range(n))
    a = np.asarray(v)
    if np.issubdtype(a.dtype, np.datetime64):
        return pd.Series(pd.to_datetime(a))
    if a.dtype == object and len(a) and all(isinstance(x, pd.Timestamp | dt.datetime | dt.date) for x in a):
        return pd.Series(pd.to_datetime(a))
    return pd.Series(list(a))


def _xy(trace) -> pd.DataFrame:
    n = max(len(trace.x) if trace.x is not None else 0, len(trace.y) if trace.y is not None else 0)
    frame = pd.DataFrame({"x": _column(trace.x, n), "y": _column(trace.y, n)})
    columns = _meta(trace, "columns")
    if columns and trace.customdata is not None:
        carried = pd.DataFrame([list(row) for row in trace.customdata], columns=columns)
        return pd.concat([frame, carried], axis=1)
    for axis in ("x", "y"):
        err = getattr(trace, f"error_{axis}", None)
        if err is None or err.visible is False or (err.array is None and err.type in (None, "data")):
            continue
        value = pd.to_numeric(frame[axis], errors="coerce").to_numpy(dtype="float64")
        plus = _error(err, value, minus=False)
        minus = _error(err, value, minus=True)
        frame["lower"] = value - minus
        frame["upper"] = value + plus
    return frame


def _error(err, value: np.ndarray, *, minus: bool) -> np.ndarray:
    kind = err.type or "data"
    symmetric = err.symmetric if err.symmetric is not None else (err.arrayminus is None and err.valueminus is None)
    if kind == "data":
        arr = err.array if (symmetric or not minus) else err.arrayminus
        return np.zeros(len(value)) if arr is None else np.asarray(arr, dtype="float64")
    amount = err.value if (symmetric or not minus) else err.valueminus
    amount = 10.0 if amount is None else float(amount)  # Plotly's default
    if kind == "percent":
        return np.abs(value) * amount / 100
    if kind == "constant":
        return np.full(len(value), amount)
    raise ValueError(f"error bars of type {kind!r} are not exported")


def _heatmap(trace) -> pd.DataFrame:
    z = np.asarray(trace.z, dtype="float64")
    rows, cols = z.shape
    xs = _column(trace.x, cols).tolist()
    ys = _column(trace.y, rows).tolist()
    return pd.DataFrame({"x": [xs[j] for i in range(rows) for j in range(cols)],
                         "y": [ys[i] for i in range(rows) for j in range(cols)],
                         "z": z.reshape(-1)})


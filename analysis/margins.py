"""Margins wide enough for the labels a figure already knows, set before the browser draws it.

Plotly's `automargin` measures the tick labels after a first drawing and, when they do not fit the
margins asked for, widens the margins and draws the whole chart again. With the 60 px left and 40 px
bottom margins every chart starts from, 53 of the dashboard's 63 charts were drawn twice
(`python -m bench.margins`, bench/RESULTS.md "Pages"). Most labels are known in Python — the value
axes' ticks (`figures.value_axis`), month ticks, category names, a vertical legend's entries, a colour
bar's labels — so their width can be estimated from their characters and the margins reserved up
front. Where the estimate is short, or Plotly chooses the labels (automatic numeric ticks) or their
angle, automargin stays on and widens the margins as before.
"""

from __future__ import annotations

import math
import unicodedata

import plotly.graph_objects as go

FONT_SIZE = 12.5  # the dashboard's ticks are 12 px (Streamlit's theme), the exports' 13 (base_layout's font)
TICK_GAP = 20  # the labels' distance from the plot, and room for the browser's own font
TITLE_GAP = 52  # an axis title beside its labels (its line height and the standoff)
TITLE_ROWS = 32  # an x axis's title under its labels
LABEL_ROW = 44  # one line of x tick labels under the plot
LINE = 18  # each further line of a label
OVERHANG = 16  # beyond half of a label that sits at the plot's right edge
LEGEND_SWATCH = 52  # a legend entry's line or box and the padding around the entries
COLORBAR = 56  # a colour bar's bar, padding and tick marks
SLACK = 10  # px: fonts differ between browsers
CARTESIAN = ("bar", "scatter", "box", "heatmap")  # trace types drawn on x and y axes


def em_width(ch: str) -> float:
    """A character's advance in em, about its average in the sans-serif fonts the page uses: Latin,
    Cyrillic, digits; Arabic script narrower (its letters join). Calibrated on Chromium's drawing of
    the dashboard (bench.margins): over-estimating a long label by a few per cent takes that much of
    the plot's width, under-estimating it costs one more drawing."""
    if ch.isspace():
        return 0.27
    if ch in "%٪":
        return 0.85
    if ch in ".,:;'|!()[]٫٬·-":
        return 0.3
    if ch.isdigit():
        return 0.56
    if "\u0600" <= ch <= "\u06ff" or "\ufb50" <= ch <= "\ufeff":
        return 0.44
    cyrillic = "\u0400" <= ch <= "\u04ff"
    if unicodedata.category(ch) == "Lu":
        return 0.68 if cyrillic else 0.64
    return 0.58 if cyrillic else 0.53


def text_px(text: str, size: float = FONT_SIZE) -> float:
    """Estimated width in px of one line of a label (the longest line of a multi-line one)."""
    lines = str(text).replace("<br>", "\n").split("\n")
    widest = max(sum(em_width(c) for c in line) for line in lines)
    return size * widest + SLACK if widest else 0.0


def labels(fig: go.Figure, axis: str) -> list[str] | None:
    """The tick labels of `axis` ('xaxis', 'yaxis2', …) when the figure fixes them: its `ticktext`, or the
    category names of the traces on it; None where Plotly will choose them (numeric ticks)."""
    ax = fig.layout[axis]
    if ax.showticklabels is False:
        return []
    if ax.ticktext is not None:
        return [str(s) for s in ax.ticktext]
    ref = axis[0] + axis[5:]  # 'yaxis2' -> 'y2'
    names: list[str] = []
    for trace in fig.data:
        if (getattr(trace, axis[0] + "axis", None) or axis[0]) != ref:
            continue
        values = getattr(trace, axis[0], None)
        if values is None or len(values) == 0:
            continue
        if not all(isinstance(v, str) for v in values):
            return None
        names.extend(values)
    return names or None


def _axes(fig: go.Figure, letter: str) -> list[str]:
    """'xaxis' (or 'yaxis') and any further ones the layout names ('xaxis2', …)."""
    return sorted({letter + "axis"} | {k for k in fig.layout.to_plotly_json() if k.startswith(letter + "axis")})


def _beside(fig: go.Figure) -> int:
    """Room right of the plot for a vertical legend placed beyond it (base_layout's legend="side") or a
    colour bar with fixed labels: the gap to the plot (a few % of its width, taken as 20 px), the swatch or
    bar and the widest entry."""
    need = 0
    legend = fig.layout.legend
    if legend.orientation == "v" and (legend.x or 0) > 1 and legend.xanchor in ("left", None):
        entries = [str(t.name) for t in fig.data if t.showlegend is not False and t.name]
        if entries:
            size = legend.font.size or FONT_SIZE
            need = max(need, math.ceil(20 + LEGEND_SWATCH + max(text_px(e, size) for e in entries)))
    for trace in fig.data:
        bar = getattr(trace, "colorbar", None)
        if trace.type == "heatmap" and trace.showscale is not False and bar is not None:
            ticks = [str(s) for s in bar.ticktext] if bar.ticktext is not None else None
            if ticks:
                need = max(need, math.ceil(20 + COLORBAR + max(text_px(s) for s in ticks)))
    return need


def reserve(fig: go.Figure) -> go.Figure:
    """Widen the figure's left, right and bottom margins to what its known labels need (never narrower
    than asked); returns the figure. Figures without Cartesian axes (treemaps, maps) are left alone."""
    if not any(t.type in CARTESIAN for t in fig.data):
        return fig
    m = fig.layout.margin
    asked = {"l": m.l or 0, "r": m.r or 0, "b": m.b or 0}
    need = dict(asked)
    for axis in _axes(fig, "y"):
        found = labels(fig, axis)
        if found is None:
            continue
        side = "r" if fig.layout[axis].side == "right" else "l"
        width = max((text_px(s) for s in found), default=0.0)
        gap = TITLE_GAP if fig.layout[axis].title.text else TICK_GAP
        need[side] = max(need[side], math.ceil(width + gap))
    for axis in _axes(fig, "x"):
        ax = fig.layout[axis]
        found = labels(fig, axis)
        if found is None or ax.side == "top":
            continue
        lines = max((str(s).count("<br>") for s in found), default=0)
        need["b"] = max(need["b"], (LABEL_ROW + LINE * lines if found else 0) + (TITLE_ROWS if ax.title.text else 0))
        # a label on the range's last value is centred on the plot's right edge: half of it sticks out
        if found and ax.tickvals is not None and ax.range is not None and ax.tickvals[-1] >= ax.range[1]:
            need["r"] = max(need["r"], math.ceil(text_px(found[-1]) / 2 + OVERHANG))
    need["r"] = max(need["r"], _beside(fig))
    if need != asked:
        fig.update_layout(margin=need)
    return fig

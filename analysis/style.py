"""The look shared by every figure, the map and the exports: font and colours, in one place."""

import plotly.graph_objects as go
import plotly.io as pio

FONT = "Vazirmatn, 'Noto Sans Arabic', 'Noto Sans', 'DejaVu Sans', sans-serif"
COLORS = {"export": "#1f77b4", "import": "#d62728", "balance": "#2ca02c", "target": "#7f7f7f",
          "iran_customs": "#9467bd", "russia_customs": "#ff7f0e", "band_export": "rgba(31,119,180,0.15)",
          "band_import": "rgba(214,39,40,0.15)", "estimate": "#4e79a7", "untapped": "#59a14f",
          "flagged": "#d62728", "markers": "#333333"}
# Transport modes: the same colour on the routes map and in the charts beside it
MODE_COLORS = {"sea": "#1f5fa8", "inland_water": "#1a9e9e", "rail": "#c0392b", "road": "#e08a1e",
               "air": "#e377c2", "other": "#bcbd22", "unknown": "#c7c7c7"}
PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac", "#86bcb6", "#d37295"]
SAMPLE_COLOR = "#c62828"  # the synthetic-sample mark on exports


def _template():
    """Plotly's "plotly_white" with only the trace defaults of the trace types our figures draw: the
    whole template (30-odd trace types) is copied and validated into every figure — about 10 ms each,
    most of building a simple chart — and sent to the browser with it."""
    white = pio.templates["plotly_white"]
    kinds = ("bar", "scatter", "heatmap", "treemap")
    return go.layout.Template(layout=white.layout, data={kind: getattr(white.data, kind) for kind in kinds})


TEMPLATE = _template()

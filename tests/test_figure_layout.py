"""Figure layout: margins reserved for the labels a figure knows (analysis.margins), so Plotly need not draw
it twice, and the published figures marked on a time series."""

import plotly.graph_objects as go
import pytest

from analysis import figures, margins


def bars(labels: list[str], title: str | None = None) -> go.Figure:
    fig = go.Figure(go.Bar(y=labels, x=[1.0] * len(labels), orientation="h"))
    figures.base_layout(fig, "t", "en")
    if title:
        fig.update_layout(yaxis={"title": {"text": title}})
    return fig


def test_a_long_category_label_widens_the_left_margin_by_its_width():
    short, long = bars(["Tea"]), bars(["Tea", "Fresh or chilled fish, excluding fillets"])
    margins.reserve(short)
    margins.reserve(long)
    assert short.layout.margin.l == 60  # the label fits the margin asked for: unchanged
    assert long.layout.margin.l >= margins.text_px("Fresh or chilled fish, excluding fillets")
    assert long.layout.margin.l > 200


def test_an_axis_title_takes_room_beside_the_labels():
    plain, titled = bars(["Fresh or chilled fish"]), bars(["Fresh or chilled fish"], title="Product")
    margins.reserve(plain)
    margins.reserve(titled)
    assert titled.layout.margin.l - plain.layout.margin.l == margins.TITLE_GAP - margins.TICK_GAP


def test_margins_are_never_made_narrower_than_asked():
    fig = bars(["a"])
    fig.update_layout(margin={"l": 300, "r": 200, "b": 150})
    margins.reserve(fig)
    assert (fig.layout.margin.l, fig.layout.margin.r, fig.layout.margin.b) == (300, 200, 150)


def test_value_ticks_set_by_value_axis_are_measured():
    fig = go.Figure(go.Scatter(x=[1, 2], y=[0, 1.4e8]))
    figures.base_layout(fig, "t", "ru")
    figures.value_axis(fig, [0, 1.4e8], "ru", "usd")
    margins.reserve(fig)
    widest = max(margins.text_px(s) for s in fig.layout.yaxis.ticktext)
    assert fig.layout.margin.l == pytest.approx(widest + margins.TITLE_GAP, abs=1)


def test_two_line_month_labels_reserve_two_lines_below():
    fig = go.Figure(go.Scatter(x=["2024-01-01", "2024-02-01"], y=[1, 2]))
    figures.base_layout(fig, "t", "en")
    figures.month_axis(fig, fig.data[0].x, [2024, 2024], [1, 2], "gregorian", "en")
    margins.reserve(fig)
    assert fig.layout.xaxis.ticktext[0] == "Jan<br>2024"
    assert fig.layout.margin.b == margins.LABEL_ROW + margins.LINE


def test_a_last_tick_on_the_plots_edge_reserves_half_its_label_on_the_right():
    fig = go.Figure(go.Bar(y=["a", "b"], x=[1e6, 2.4e8], orientation="h"))
    figures.base_layout(fig, "t", "fa")
    figures.value_axis(fig, [1e6, 2.4e8], "fa", "usd", axis="xaxis")
    margins.reserve(fig)
    assert fig.layout.margin.r >= margins.text_px(fig.layout.xaxis.ticktext[-1]) / 2


def test_figures_without_axes_are_left_alone():
    fig = go.Figure(go.Treemap(labels=["a", "b"], parents=["", "a"], values=[2, 1]))
    figures.base_layout(fig, "t", "en")
    before = fig.layout.margin.to_plotly_json()
    margins.reserve(fig)
    assert fig.layout.margin.to_plotly_json() == before


@pytest.mark.parametrize("text", ["$150M", "۱۵۰ میلیون", "150 млн", "15%", ""])
def test_text_width_grows_with_the_text(text):
    assert margins.text_px(text + "0") > margins.text_px(text) >= 0


def test_published_figures_are_marked_once_each_inside_the_range_with_their_link():
    from analysis.names import Names

    fig = go.Figure(go.Scatter(x=["2023-01-01", "2024-12-01"], y=[1, 2]))
    figures.base_layout(fig, "t", "en")
    published = __import__("pandas").DataFrame({
        "period_end": ["2023-12-31", "2024-06-30", "2019-12-31"],
        "published_usd": [1.5e8, None, 2e7], "published_kg": [None, 3e6, None],
        "reporter_code": ["RU-VGG", "IR-02", "RU-VGG"], "partner_code": ["IR", "RU-VGG", "IR"],
        "flow": ["export", "import", "export"], "period": ["annual", "1403", "annual"],
        "url": ["https://volgograd.example/a", "https://mazandaran.example/b", "https://old.example/c"],
    })
    marked = figures.mark_published(fig, published, Names(), lang="en", date_from="2023-01-01",
                                    date_to="2024-12-31", measure="usd")
    lines = [s for s in marked.layout.shapes if s.line.dash == "dot"]
    assert [str(s.x0)[:10] for s in lines] == ["2023-12-31", "2024-06-30"]  # 2019 is outside the range
    assert all((s.yref, s.y0, s.y1) == ("y domain", 0, 1) for s in lines)
    links = [a.text for a in marked.layout.annotations]
    assert links == ['<a href="https://volgograd.example/a" target="_blank">▼</a>',
                     '<a href="https://mazandaran.example/b" target="_blank">▼</a>']
    assert "$150.0M" in marked.layout.annotations[0].hovertext


def test_a_legend_beside_the_plot_and_a_colour_bar_reserve_their_width_on_the_right():
    fig = go.Figure([go.Scatter(x=["2022", "2023"], y=[1, 2], name="Mazandaran — exports to Volgograd"),
                     go.Scatter(x=["2022", "2023"], y=[2, 1], name="Gilan — imports")])
    figures.base_layout(fig, "t", "en", legend="side")
    margins.reserve(fig)
    assert fig.layout.margin.r >= margins.text_px("Mazandaran — exports to Volgograd", 11) + margins.LEGEND_SWATCH

    bar = {"tickmode": "array", "tickvals": [0, 1], "ticktext": ["missing", "reported monthly"]}
    heat = go.Figure(go.Heatmap(z=[[0, 1]], x=["2024-01-01", "2024-02-01"], y=["FCS"], colorbar=bar))
    figures.base_layout(heat, "t", "en")
    margins.reserve(heat)
    assert heat.layout.margin.r >= margins.text_px("reported monthly") + margins.COLORBAR

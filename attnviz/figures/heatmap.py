"""Heatmaps of one head and of all heads in one layer."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from attnviz.figures.labels import axis_labels

COLOR_SCALE = "Viridis"  # perceptually uniform and readable by colour-blind viewers
SELECTED_COLOR = "#e4572e"
MASKED_COLOR = "#d0d0d0"  # masked cells are gaps (NaN) over this background, not a dark 0
# An empty template: Streamlit styles the chart itself, and Plotly's default template would
# otherwise be most of a small figure's bytes.
NO_TEMPLATE = go.layout.Template()
HOVER = "query <b>%{y}</b><br>key <b>%{x}</b><br>weight %{z:.3f}<extra></extra>"


def _masked(weights: np.ndarray, visible: np.ndarray | None) -> np.ndarray:
    """float32 copy with masked cells as NaN so they draw as gaps."""
    z = np.array(weights, dtype=np.float32)
    if visible is not None:
        z[~visible] = np.nan
    return z


def head_heatmap(
    weights: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    title: str = "",
    visible: np.ndarray | None = None,
) -> go.Figure:
    """One head: query tokens as rows (top to bottom), key tokens as columns.

    weights: `[query, key]`; visible: bool `[query, key]` or None. Colour fixed from 0 to 1.
    """
    n_query, n_key = weights.shape
    heatmap = go.Heatmap(
        z=_masked(weights, visible),
        x=axis_labels(key_tokens),
        y=axis_labels(query_tokens),
        zmin=0.0,
        zmax=1.0,
        colorscale=COLOR_SCALE,
        colorbar={"title": {"text": "weight"}, "thickness": 14},
        hovertemplate=HOVER,
        hoverongaps=False,
        xgap=1 if n_key <= 40 else 0,
        ygap=1 if n_query <= 40 else 0,
    )
    figure = go.Figure(heatmap)
    cell = 26 if max(n_query, n_key) <= 24 else max(8, 640 // max(n_query, n_key))
    figure.update_layout(
        title={
            "text": html.escape(title, quote=False),
            "y": 0.99,
            "yref": "container",
            "yanchor": "top",
        },
        height=min(900, max(320, 120 + cell * n_query)),
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        plot_bgcolor=MASKED_COLOR,
        template=NO_TEMPLATE,
    )
    # dtick=1: Plotly would otherwise skip labels when tokens crowd, hiding some tokens.
    axes = {"type": "category", "automargin": True, "dtick": 1}
    figure.update_xaxes(side="top", tickangle=-60, title_text="key", **axes)
    figure.update_yaxes(autorange="reversed", title_text="query", **axes)
    return figure


def grid_shape(n_panels: int) -> tuple[int, int]:
    """Rows and columns for `n_panels` small multiples, at most 4 wide."""
    cols = min(4, n_panels)
    return math.ceil(n_panels / cols), cols


def layer_small_multiples(
    weights: np.ndarray, selected_head: int | None = None, visible: np.ndarray | None = None
) -> go.Figure:
    """All heads of one layer on one shared 0..1 colour scale; click a panel to pick a head.

    weights: `[head, query, key]`. Heatmap cells return no click events, so each panel is
    covered by a lattice of invisible square markers whose customdata is the head number.
    The figure is assembled as plain dicts without Plotly's per-property validation, which
    (with make_subplots) took ~60 ms of every rerun for 12 heads.
    """
    n_heads, n_query, n_key = weights.shape
    rows, cols = grid_shape(n_heads)
    data: list[dict] = []
    layout: dict = {
        "coloraxis": {"colorscale": COLOR_SCALE, "cmin": 0.0, "cmax": 1.0, "showscale": False},
        "height": 130 * rows + 40,
        "margin": {"l": 5, "r": 5, "t": 30, "b": 5},
        "showlegend": False,
        "plot_bgcolor": MASKED_COLOR,
        "clickmode": "event+select",
        "dragmode": False,
        "template": NO_TEMPLATE.to_plotly_json(),
        "annotations": [],
    }
    for head in range(n_heads):
        suffix = "" if head == 0 else str(head + 1)
        x_domain, y_domain = panel_domain(head, rows, cols)
        axis = {"showticklabels": False, "showgrid": False, "zeroline": False}
        layout[f"xaxis{suffix}"] = {
            **axis,
            "domain": x_domain,
            "range": [-0.5, n_key - 0.5],
            "anchor": f"y{suffix}",
        }
        layout[f"yaxis{suffix}"] = {
            **axis,
            "domain": y_domain,
            "range": [n_query - 0.5, -0.5],
            "anchor": f"x{suffix}",
        }
        layout["annotations"].append(_panel_title(head, x_domain, y_domain, head == selected_head))
        refs = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        data.append(
            {
                "type": "heatmap",
                "z": _masked(weights[head], visible),
                "coloraxis": "coloraxis",
                "hoverinfo": "skip",
                **refs,
            }
        )
        data.append({**_click_lattice(head, n_query, n_key), **refs})
    if selected_head is not None:
        layout["shapes"] = [_panel_outline(selected_head)]
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def panel_domain(index: int, rows: int, cols: int, gap_x: float = 0.03, gap_y: float = 0.06):
    """Paper-coordinate x and y domains of panel `index`, filled row by row from the top."""
    row, col = divmod(index, cols)
    width = (1 - gap_x * (cols - 1)) / cols
    height = (1 - gap_y * (rows - 1)) / rows
    x0 = col * (width + gap_x)
    y1 = 1 - row * (height + gap_y)
    return [x0, x0 + width], [y1 - height, y1]


def _panel_title(head: int, x_domain: list, y_domain: list, selected: bool) -> dict:
    return {
        "text": f"head {head}",
        "x": (x_domain[0] + x_domain[1]) / 2,
        "y": y_domain[1],
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"color": SELECTED_COLOR if selected else "#555555", "size": 12},
    }


def _panel_outline(head: int) -> dict:
    """A frame around the selected head's panel."""
    suffix = "" if head == 0 else str(head + 1)
    return {
        "type": "rect",
        "xref": f"x{suffix} domain",
        "yref": f"y{suffix} domain",
        "x0": -0.02,
        "x1": 1.02,
        "y0": -0.02,
        "y1": 1.02,
        "line": {"color": SELECTED_COLOR, "width": 3},
    }


def _click_lattice(head: int, n_query: int, n_key: int, points: int = 6) -> dict:
    """Invisible markers spread over one panel; clicking any selects `head`."""
    xs = np.linspace(0, n_key - 1, min(points, n_key), dtype=np.float32)
    ys = np.linspace(0, n_query - 1, min(points, n_query), dtype=np.float32)
    grid_x, grid_y = np.meshgrid(xs, ys)
    return {
        "type": "scatter",
        "x": grid_x.ravel(),
        "y": grid_y.ravel(),
        "mode": "markers",
        "marker": {"symbol": "square", "size": 22, "opacity": 0.0},
        "customdata": np.full(grid_x.size, head, dtype=np.int16),
        "hovertemplate": f"head {head}<extra></extra>",
        "name": f"head {head}",
    }

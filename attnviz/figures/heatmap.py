"""Heatmaps with token axes: one head, one token across heads, a statistic per head."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from attnviz.figures.clicks import CLICKABLE_LAYOUT, click_markers
from attnviz.figures.labels import axis_labels
from attnviz.figures.layout import fit_title
from attnviz.figures.style import DEFAULT_COLOURING, MASKED_COLOR, NO_TEMPLATE, Colouring

HOVER = "query <b>%{y}</b><br>key <b>%{x}</b><br>weight %{z:.3f}<extra></extra>"
LOG_HOVER = "query <b>%{y}</b><br>key <b>%{x}</b><br>weight %{customdata:.3f}<extra></extra>"
# dtick=1: Plotly would otherwise skip labels when tokens crowd, hiding some tokens. Past
# MAX_LABELLED tokens labels cannot be read anyway, and Plotly picks which to show.
TOKEN_AXIS = {"type": "category", "automargin": True}
MAX_LABELLED = 120
TITLE_WIDTH = 56  # characters per title line at Plotly's default size (a half-width column)


def _masked(weights: np.ndarray, visible: np.ndarray | None) -> np.ndarray:
    """float32 copy with masked cells as NaN so they draw as gaps over the grey background."""
    z = np.array(weights, dtype=np.float32)
    if visible is not None:
        z[~visible] = np.nan
    return z


def _title(text: str) -> dict:
    return {"text": html.escape(text, quote=False), "y": 0.99, "yref": "container"}


def head_heatmap(
    weights: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    title: str = "",
    visible: np.ndarray | None = None,
    colouring: Colouring = DEFAULT_COLOURING,
    hover: str = HOVER,
) -> go.Figure:
    """One map: query tokens as rows (top to bottom), key tokens as columns.

    weights: `[query, key]`; visible: bool `[query, key]` or None (masked cells are grey).
    The colour range is fixed (0 to 1, or 0.0001 to 1 in logarithmic colour).
    """
    n_query, n_key = weights.shape
    masked = _masked(weights, visible)
    zmin, zmax = colouring.value_range
    trace = {
        "z": colouring.colour_values(masked),
        "x": axis_labels(key_tokens),
        "y": axis_labels(query_tokens),
        "zmin": zmin,
        "zmax": zmax,
        "colorscale": colouring.plotly_scale,
        "colorbar": colouring.colorbar(),
        "hovertemplate": hover,
        "hoverongaps": False,
        "xgap": 1 if n_key <= 40 else 0,
        "ygap": 1 if n_query <= 40 else 0,
    }
    if colouring.log:  # colour is log10(weight); hover must still show the weight itself
        trace.update(customdata=masked, hovertemplate=hover.replace("%{z", "%{customdata"))
    figure = go.Figure(go.Heatmap(**trace))
    cell = 26 if max(n_query, n_key) <= 24 else max(8, 640 // max(n_query, n_key))
    figure.update_layout(
        title=_title(title),
        height=min(900, max(320, 120 + cell * n_query)),
        margin={"l": 10, "r": 10, "t": 60 if title else 20, "b": 10},
        plot_bgcolor=MASKED_COLOR,
        template=NO_TEMPLATE,
    )
    # No axis titles: above the top ticks they collide with the figure title; pages say
    # "rows are queries, columns are keys", and the hover names both.
    figure.update_xaxes(side="top", tickangle=-60, dtick=1 if n_key <= MAX_LABELLED else None)
    figure.update_yaxes(autorange="reversed", dtick=1 if n_query <= MAX_LABELLED else None)
    figure.update_xaxes(**TOKEN_AXIS)
    figure.update_yaxes(**TOKEN_AXIS)
    return fit_title(figure, TITLE_WIDTH)


def heads_by_tokens(
    values: np.ndarray,
    tokens: Sequence[str],
    title: str,
    token_role: str,
    visible: np.ndarray | None = None,
    colouring: Colouring = DEFAULT_COLOURING,
) -> go.Figure:
    """One row per head over a token axis: where one token attends, or who attends to it.

    values: `[head, token]`; token_role names the axis ("key" or "query") in hover text.
    """
    n_heads = values.shape[0]
    hover = f"head %{{y}}<br>{token_role} <b>%{{x}}</b><br>weight %{{z:.3f}}<extra></extra>"
    figure = head_heatmap(
        values,
        [str(h) for h in range(n_heads)],
        tokens,
        title,
        visible,
        colouring,
        hover=hover,
    )
    figure.update_yaxes(title_text="head")
    # The rows' own height, plus the room `fit_title` made above them.
    figure.update_layout(height=min(700, 80 + 26 * n_heads) + figure.layout.margin.t)
    return figure


def statistic_heatmap(
    values: np.ndarray,
    name: str,
    labels: Sequence[Sequence[str]] | None = None,
    selected: tuple[int, int] | None = None,
    value_range: tuple[float, float] | None = None,
) -> go.Figure:
    """A statistic per head as a layer x head heatmap; clicks return `[layer, head]`.

    values: `[layer, head]`; labels: optional short text per cell (e.g. head roles).
    """
    n_layers, n_heads = values.shape
    layer_index, head_index = np.meshgrid(np.arange(n_layers), np.arange(n_heads), indexing="ij")
    text = labels if labels is not None else [[""] * n_heads for _ in range(n_layers)]
    zmin, zmax = (
        value_range if value_range else (float(np.nanmin(values)), float(np.nanmax(values)))
    )
    heatmap = go.Heatmap(
        z=np.asarray(values, dtype=np.float32),
        x=np.arange(n_heads),
        y=np.arange(n_layers),
        zmin=zmin,
        zmax=zmax,
        colorscale="Cividis",
        colorbar={"title": {"text": html.escape(name)}, "thickness": 14},
        text=[[html.escape(cell) for cell in row] for row in text],
        texttemplate="%{text}",
        textfont={"size": 9},
        hoverinfo="skip",
        xgap=2,
        ygap=2,
    )
    # Invisible markers carry the click and the hover (heatmap cells return no clicks).
    markers = click_markers(
        head_index.ravel(),
        layer_index.ravel(),
        np.stack([layer_index.ravel(), head_index.ravel()], axis=1).astype(np.int16),
        26,
        text=[html.escape(cell) for row in text for cell in row],
        hovertext=[f"{v:.3f}" for v in np.asarray(values).ravel()],
        hovertemplate=(
            "layer %{y} · head %{x}<br>" + html.escape(name) + " %{hovertext}"
            "<br>%{text}<extra></extra>"
        ),
    )
    figure = go.Figure([heatmap, markers])
    figure.update_layout(
        height=120 + 40 * n_layers,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        template=NO_TEMPLATE,
        showlegend=False,
        **CLICKABLE_LAYOUT,
    )
    figure.update_xaxes(title_text="head", dtick=1, range=[-0.5, n_heads - 0.5], side="top")
    figure.update_yaxes(title_text="layer", dtick=1, range=[n_layers - 0.5, -0.5])
    if selected is not None:
        figure.add_shape(
            type="rect",
            x0=selected[1] - 0.5,
            x1=selected[1] + 0.5,
            y0=selected[0] - 0.5,
            y1=selected[0] + 0.5,
            line={"color": "#e4572e", "width": 3},
        )
    return fit_title(figure)


def difference_heatmap(
    difference: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    title: str,
    visible: np.ndarray | None = None,
) -> go.Figure:
    """A - B on a diverging scale centred on 0 (red: A attends more, blue: B attends more).

    difference: `[query, key]` in -1..1.
    """
    hover = "query <b>%{y}</b><br>key <b>%{x}</b><br>A − B %{z:+.3f}<extra></extra>"
    figure = head_heatmap(difference, query_tokens, key_tokens, title, visible, hover=hover)
    figure.update_traces(colorscale="RdBu", reversescale=True, zmin=-1.0, zmax=1.0, zmid=0.0)
    figure.update_traces(colorbar={"title": {"text": "A − B"}, "thickness": 14})
    return figure


def head_distance_heatmap(
    distances: np.ndarray, labels: Sequence[str], order: Sequence[int]
) -> go.Figure:
    """Distances between heads `[head, head]`, rows and columns in `order`; clicks return the
    pair's indices in the original (unordered) numbering."""
    order = np.asarray(order)
    ordered = np.asarray(distances, dtype=np.float32)[np.ix_(order, order)]
    names = [labels[i] for i in order]
    rows, cols = np.meshgrid(order, order, indexing="ij")
    n = len(order)
    heatmap = go.Heatmap(
        z=ordered,
        x=names,
        y=names,
        zmin=0.0,
        zmax=1.0,
        colorscale="Cividis",
        reversescale=True,
        colorbar={"title": {"text": "JS distance"}, "thickness": 14},
        hovertemplate="%{y} and %{x}<br>distance %{z:.3f}<extra></extra>",
    )
    # Clicks: one invisible marker per cell carrying the two heads' original indices.
    markers = click_markers(
        np.tile(np.arange(n), n),
        np.repeat(np.arange(n), n),
        np.stack([rows.ravel(), cols.ravel()], axis=1).astype(np.int16),
        8,
        hoverinfo="none",  # "skip" would also drop the click
        xaxis="x2",
        yaxis="y2",
    )
    figure = go.Figure([heatmap, markers])
    figure.update_layout(
        height=max(420, min(900, 12 * n + 120)),
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        template=NO_TEMPLATE,
        showlegend=False,
        **CLICKABLE_LAYOUT,
        xaxis={"type": "category", "tickangle": -90, "tickfont": {"size": 8}, "side": "top"},
        yaxis={"type": "category", "autorange": "reversed", "tickfont": {"size": 8}},
        xaxis2={"overlaying": "x", "range": [-0.5, n - 0.5], "visible": False},
        yaxis2={"overlaying": "y", "range": [n - 0.5, -0.5], "visible": False},
    )
    return fit_title(figure)

"""One decoder step of an RNN translator laid open: scores, softmax weights, context, output.

After Bahdanau, Cho and Bengio (2014): at target step i the decoder state scores every source
annotation h_j, a softmax turns the scores into weights, and the weighted sum of the
annotations is the context vector the decoder reads.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from attnviz.figures.clicks import CLICKABLE_LAYOUT, click_markers
from attnviz.figures.heatmap import head_heatmap
from attnviz.figures.labels import axis_labels
from attnviz.figures.style import NO_TEMPLATE, SELECTED_COLOR

BAR_COLOR = "#3b528b"  # a viridis blue


def alignment_heatmap(
    weights: np.ndarray,
    target_tokens: Sequence[str],
    source_tokens: Sequence[str],
    title: str,
    selected_step: int | None = None,
) -> go.Figure:
    """Target tokens as rows, source tokens as columns; clicking a row returns `[step]`.

    weights: `[target, source]`.
    """
    figure = head_heatmap(weights, target_tokens, source_tokens, title)
    # The heatmap would win the hover and swallow the click; the invisible markers carry both.
    figure.update_traces(hoverinfo="skip", hovertemplate=None, selector={"type": "heatmap"})
    n_target, n_source = weights.shape
    rows, cols = np.meshgrid(np.arange(n_target), np.arange(n_source), indexing="ij")
    y_labels, x_labels = axis_labels(target_tokens), axis_labels(source_tokens)
    figure.add_trace(
        click_markers(
            [x_labels[c] for c in cols.ravel()],
            [y_labels[r] for r in rows.ravel()],
            rows.ravel().astype(np.int16),
            18,
            marker={"color": np.asarray(weights, dtype=np.float32).ravel()},
            hovertemplate="output <b>%{y}</b><br>source <b>%{x}</b>"
            "<br>weight %{marker.color:.3f}<extra></extra>",
        )
    )
    # A click anywhere in a row selects that row, however wide its cells are drawn.
    figure.update_layout(**CLICKABLE_LAYOUT)
    # Fixed ranges: the click markers must not pad the axes around the cells.
    figure.update_xaxes(range=[-0.5, n_source - 0.5])
    figure.update_yaxes(range=[n_target - 0.5, -0.5], autorange=False)
    if selected_step is not None and 0 <= selected_step < n_target:
        figure.add_shape(
            type="rect",
            xref="x domain",
            yref="y",
            x0=0,
            x1=1,
            y0=selected_step - 0.5,
            y1=selected_step + 0.5,
            line={"color": SELECTED_COLOR, "width": 3},
        )
    return figure


def _bars(values: np.ndarray, tokens: Sequence[str], title: str, hover: str) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=axis_labels(tokens),
            y=np.asarray(values, dtype=np.float32),
            marker_color=BAR_COLOR,
            hovertemplate=hover,
        )
    )
    figure.update_layout(
        title={"text": html.escape(title, quote=False)},
        height=260,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        template=NO_TEMPLATE,
        showlegend=False,
    )
    figure.update_xaxes(type="category", tickangle=-60, dtick=1)
    return figure


def score_bars(scores: np.ndarray, source_tokens: Sequence[str]) -> go.Figure:
    """Step 1: the score e_ij of every source token `[source]`, before the softmax."""
    return _bars(scores, source_tokens, "1 · scores e", "%{x}<br>score %{y:.3f}<extra></extra>")


def weight_bars(weights: np.ndarray, source_tokens: Sequence[str]) -> go.Figure:
    """Step 2: the softmax weights α_ij `[source]`, summing to 1."""
    figure = _bars(
        weights, source_tokens, "2 · softmax weights α", "%{x}<br>α %{y:.3f}<extra></extra>"
    )
    figure.update_yaxes(range=[0, 1])
    return figure


def context_figure(
    weights: np.ndarray, states: np.ndarray, source_tokens: Sequence[str]
) -> go.Figure:
    """Step 3: α_ij h_j for every source token (rows) and their sum, the context vector c_i.

    weights: `[source]`; states: encoder annotations `[source, dims]`.
    """
    weighted = weights[:, None] * states  # [source, dims]
    context = weighted.sum(axis=0, keepdims=True)  # [1, dims]
    limit = float(max(np.abs(weighted).max(), np.abs(context).max(), 1e-6))
    labels = [*axis_labels(source_tokens), "c = Σ α h"]
    z = np.concatenate([weighted, context]).astype(np.float32)  # [source + 1, dims]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            y=labels,
            colorscale="RdBu",
            reversescale=True,
            zmin=-limit,
            zmax=limit,
            colorbar={"title": {"text": "value"}, "thickness": 12},
            hovertemplate="%{y}<br>dimension %{x}<br>%{z:.3f}<extra></extra>",
            ygap=1,
        )
    )
    figure.add_hline(y=len(source_tokens) - 0.5, line={"color": "#000000", "width": 2})
    figure.update_layout(
        title={"text": "3 · weighted encoder states α·h and their sum, the context c"},
        height=max(220, 70 + 18 * len(labels)),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        template=NO_TEMPLATE,
    )
    figure.update_yaxes(type="category", autorange="reversed", dtick=1)
    figure.update_xaxes(title_text="dimension of h")
    return figure


def top_next_bars(top: Sequence[tuple[str, float]], emitted: str) -> go.Figure:
    """What the decoder emitted at this step among its five most probable tokens."""
    tokens = [token for token, _ in top]
    colours = [SELECTED_COLOR if token == emitted else BAR_COLOR for token in tokens]
    figure = _bars(
        np.array([p for _, p in top]),
        tokens,
        f"emitted “{emitted}”: the 5 most probable next tokens",
        "%{x}<br>p %{y:.3f}<extra></extra>",
    )
    figure.update_traces(marker_color=colours)
    figure.update_yaxes(range=[0, 1])
    return figure

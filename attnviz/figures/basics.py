"""Figures of the basic lessons: activations, softmax with a temperature, dropout, optimizers.

Builders take arrays and return a `go.Figure`; the lessons compute the arrays live
(`attnviz.analysis.basics`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from attnviz.figures.labels import escape_token
from attnviz.figures.style import MASKED_COLOR, SELECTED_COLOR, lesson_layout

PATH_COLOURS = {"SGD": "#0072b2", "momentum": "#e69f00", "Adam": "#009e73"}  # Okabe-Ito


def activation_figure(
    x: np.ndarray, values: np.ndarray, derivative: np.ndarray, name: str
) -> go.Figure:
    """An activation and its derivative over `x`, on one pair of axes."""
    figure = go.Figure(
        [
            go.Scatter(x=x, y=values, name=f"{name}(x)", line={"width": 3}),
            go.Scatter(x=x, y=derivative, name=f"{name}′(x)", line={"width": 2, "dash": "dash"}),
        ]
    )
    return lesson_layout(figure, f"{name} and its derivative", "x (the unit's input)", "value")


def softmax_figure(
    labels: Sequence[str], scores: np.ndarray, weights: np.ndarray, temperature: float
) -> go.Figure:
    """Scores (left axis) and the softmax weights they become at this temperature."""
    shown = [escape_token(label) for label in labels]
    figure = go.Figure(
        [
            go.Bar(x=shown, y=scores, name="score", marker_color="#999999", yaxis="y2"),
            go.Bar(x=shown, y=weights, name="weight", marker_color=SELECTED_COLOR),
        ]
    )
    figure.update_layout(
        barmode="group",
        yaxis={"range": [0, 1], "title": {"text": "weight (sums to 1)"}},
        yaxis2={"overlaying": "y", "side": "right", "title": {"text": "score"}},
    )
    return lesson_layout(figure, f"softmax(scores / T), T = {temperature:g}", "key", "weight")


def dropout_figure(
    before: np.ndarray, after: np.ndarray, kept: np.ndarray, rate: float
) -> go.Figure:
    """A layer's units before and after dropout; dropped units grey, kept ones scaled up."""
    units = np.arange(len(before))
    colours = [SELECTED_COLOR if k else MASKED_COLOR for k in kept]
    figure = go.Figure(
        [
            go.Bar(x=units, y=before, name="without dropout (evaluation)", marker_color="#999999"),
            go.Bar(x=units, y=after, name="in training (kept × 1/(1−p))", marker_color=colours),
        ]
    )
    figure.update_layout(barmode="group")
    dropped = int((~kept).sum())
    title = (
        f"Dropout p = {rate:g}: {dropped} of {len(kept)} units off, the rest × {1 / (1 - rate):.2f}"
    )
    return lesson_layout(figure, title, "unit", "activation")


def optimizer_figure(
    grid: np.ndarray,
    axis1: np.ndarray,
    axis2: np.ndarray,
    paths: Mapping[str, np.ndarray],
) -> go.Figure:
    """Contours of a loss surface `grid` `[w2, w1]` and each optimizer's path `[step, 2]`."""
    traces: list = [
        go.Contour(
            x=axis1,
            y=axis2,
            z=np.log10(grid + 1e-3),
            colorscale="Greys",
            reversescale=True,
            showscale=False,
            contours={"coloring": "lines"},
            hoverinfo="skip",
            name="loss",
        )
    ]
    for method, path in paths.items():
        traces.append(
            go.Scatter(
                x=path[:, 0],
                y=path[:, 1],
                mode="lines+markers",
                name=method,
                line={"color": PATH_COLOURS.get(method), "width": 2},
                marker={"size": 4},
            )
        )
    traces.append(
        go.Scatter(x=[0], y=[0], mode="markers", name="minimum", marker={"symbol": "x", "size": 12})
    )
    figure = go.Figure(traces)
    return lesson_layout(figure, "Three optimizers from the same start", "w₁", "w₂")

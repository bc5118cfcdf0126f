"""The next-token distribution of a language model as bars; clicks return the token's index."""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from attnviz.figures.labels import axis_labels
from attnviz.figures.style import NO_TEMPLATE, SELECTED_COLOR

BAR_COLOR = "#3b6ea5"
MUTED_COLOR = "#c5cfdc"  # tokens that top-k leaves out


def next_token_bars(
    tokens: Sequence[str],
    probabilities: np.ndarray,
    title: str = "",
    selected: int | None = None,
    excluded: np.ndarray | None = None,
) -> go.Figure:
    """One bar per candidate token, most probable first; clicks return its index.

    probabilities: `[candidate]`, as reshaped by temperature and top-k; excluded: bool
    `[candidate]`, True for tokens top-k leaves out (drawn muted, at probability 0);
    selected: the index drawn in the highlight colour (the token that Next appends).
    """
    n = len(tokens)
    probabilities = np.asarray(probabilities, dtype=np.float32)
    if probabilities.shape != (n,):
        raise ValueError(f"{probabilities.shape[0]} probabilities for {n} tokens.")
    colours = np.full(n, BAR_COLOR, dtype=object)
    if excluded is not None:
        colours[np.asarray(excluded, dtype=bool)] = MUTED_COLOR
    if selected is not None and 0 <= selected < n:
        colours[selected] = SELECTED_COLOR
    labels = axis_labels(tokens)
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=probabilities,
            marker_color=list(colours),
            customdata=np.arange(n, dtype=np.int32),
            hovertemplate="<b>%{x}</b><br>p %{y:.4f}<extra></extra>",
        )
    )
    figure.update_layout(
        title={"text": html.escape(title, quote=False), "y": 0.98, "yref": "container"},
        height=340,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        template=NO_TEMPLATE,
        clickmode="event+select",
        dragmode=False,
        bargap=0.15,
    )
    figure.update_xaxes(type="category", tickangle=-50, automargin=True)
    top = float(probabilities.max()) if n else 1.0
    figure.update_yaxes(title_text="probability", range=[0, max(0.05, min(1.0, top * 1.1))])
    return figure

"""Figures of "why attention": quality by sentence length, and gradients to the source words.

Builders take plain figures (the shipped quality_by_length.json, `SourceGradients`) and return
a `go.Figure`; they never call Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from attnviz.analysis.gradients import SourceGradients, share_by_position
from attnviz.figures.labels import escape_token
from attnviz.figures.style import lesson_layout

# Okabe-Ito colours: the baseline without attention, Bahdanau's attention, the Transformer.
MODEL_COLOURS = {
    "rnnenc-en-es": "#d55e00",
    "bahdanau-en-es": "#0072b2",
    "transformer-en-es": "#009e73",
}
MODEL_LABELS = {
    "rnnenc-en-es": "rnnenc-en-es (no attention)",
    "bahdanau-en-es": "bahdanau-en-es (additive attention)",
    "transformer-en-es": "transformer-en-es",
}


def quality_by_length_figure(result: Mapping[str, Any]) -> go.Figure:
    """One line per model: chrF in each source-length bucket (the shipped figures)."""
    buckets = result["buckets"]
    labels = [f"{b['words']} words<br>({b['sentences']} sentences)" for b in buckets]
    figure = go.Figure()
    for name, scores in result["chrf"].items():
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=scores,
                mode="lines+markers",
                name=MODEL_LABELS.get(name, escape_token(name)),
                line={"width": 3, "color": MODEL_COLOURS.get(name)},
                hovertemplate="%{x}: chrF %{y:.1f}<extra>" + escape_token(name) + "</extra>",
            )
        )
    figure.update_yaxes(rangemode="tozero")
    return lesson_layout(
        figure,
        "Translation quality by sentence length (held-out sentences)",
        "source sentence length",
        "chrF against Apertium",
        legend_y=-0.25,
    )


def gradient_figure(gradients: Sequence[SourceGradients], share: bool = True) -> go.Figure:
    """One line per model over the source tokens: the size of dL_i / dx_j (log scale).

    share: divide each model's sizes by their sum, so models of different scales compare.
    """
    if not gradients:
        raise ValueError("No gradients to draw; give at least one model's.")
    tokens = gradients[0].source_tokens
    if any(g.source_tokens != tokens for g in gradients):
        raise ValueError("The models read the sentence as different tokens; draw them apart.")
    positions = np.arange(len(tokens))
    shown = [escape_token(t) for t in tokens]
    figure = go.Figure()
    for g in gradients:
        values = share_by_position(g.norms) if share else g.norms
        word = escape_token(g.target_tokens[g.step])
        figure.add_trace(
            go.Scatter(
                x=positions,
                y=np.maximum(values, 1e-12),
                customdata=shown,
                mode="lines+markers",
                name=f"{MODEL_LABELS.get(g.model, escape_token(g.model))}: loss of “{word}”",
                line={"width": 3, "color": MODEL_COLOURS.get(g.model)},
                hovertemplate="%{customdata}: %{y:.3g}<extra></extra>",
            )
        )
    figure.update_xaxes(tickmode="array", tickvals=positions, ticktext=shown, tickangle=-60)
    figure.update_yaxes(type="log")
    step = gradients[0].step + 1
    return lesson_layout(
        figure,
        f"Gradient of output token {step}'s loss reaching each source word",
        "source token (position in the sentence)",
        "share of ‖∂L/∂x_j‖" if share else "‖∂L/∂x_j‖",
        legend_y=-0.25,
    )

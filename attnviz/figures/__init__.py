"""Pure Plotly builders: arrays and tokens in, `go.Figure` out; no Streamlit here."""

from attnviz.figures.grid import layer_small_multiples, model_overview, thumbnail_note
from attnviz.figures.heatmap import (
    difference_heatmap,
    head_distance_heatmap,
    head_heatmap,
    heads_by_tokens,
    statistic_heatmap,
)
from attnviz.figures.labels import axis_labels, token_from_label
from attnviz.figures.style import COLOR_SCALES, Colouring

__all__ = [
    "COLOR_SCALES",
    "Colouring",
    "axis_labels",
    "difference_heatmap",
    "head_distance_heatmap",
    "head_heatmap",
    "heads_by_tokens",
    "layer_small_multiples",
    "model_overview",
    "statistic_heatmap",
    "thumbnail_note",
    "token_from_label",
]

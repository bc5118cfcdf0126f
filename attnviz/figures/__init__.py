"""Pure Plotly builders: arrays and tokens in, `go.Figure` out; no Streamlit here."""

from attnviz.figures.heatmap import head_heatmap, layer_small_multiples
from attnviz.figures.labels import axis_labels, token_from_label

__all__ = ["axis_labels", "head_heatmap", "layer_small_multiples", "token_from_label"]

"""Figure builders: escaped tokens, hover, fixed colour range, click targets, payload."""

from __future__ import annotations

import numpy as np
import plotly.io

from attnviz.figures import axis_labels, head_heatmap, layer_small_multiples, token_from_label


def random_rows(*shape: int) -> np.ndarray:
    weights = np.random.default_rng(0).random(shape, dtype=np.float32)
    return weights / weights.sum(axis=-1, keepdims=True)


def test_labels_are_escaped_unique_and_read_back_to_the_tokens():
    tokens = ["<b>", "the", "the", "&", "", "<a href='x'>"]
    labels = axis_labels(tokens)
    assert len(set(labels)) == len(labels)
    assert "<" not in "".join(labels)
    assert [token_from_label(label) for label in labels][:4] == tokens[:4]
    assert token_from_label(labels[-1]) == tokens[-1]


def test_head_heatmap_has_tokens_fixed_colour_range_and_hover():
    tokens = ["[CLS]", "the", "<b>cat</b>", "the", "[SEP]"]
    weights = random_rows(5, 5)
    figure = head_heatmap(weights, tokens, tokens, "layer 0 · head 1")
    heatmap = figure.data[0]
    assert [token_from_label(x) for x in heatmap.x] == tokens
    assert [token_from_label(y) for y in heatmap.y] == tokens
    assert (heatmap.zmin, heatmap.zmax) == (0.0, 1.0)
    np.testing.assert_array_equal(np.asarray(heatmap.z), weights)
    assert "%{z:.3f}" in heatmap.hovertemplate and "%{x}" in heatmap.hovertemplate
    assert figure.layout.yaxis.autorange == "reversed"


def test_masked_cells_are_gaps_not_zeros():
    visible = np.tril(np.ones((3, 3), bool))
    weights = (visible / visible.sum(axis=1, keepdims=True)).astype(np.float32)
    z = np.asarray(head_heatmap(weights, "abc", "abc", visible=visible).data[0].z)
    assert np.isnan(z[0, 1]) and z[1, 0] == weights[1, 0]


def test_small_multiples_share_one_scale_and_carry_head_numbers():
    figure = layer_small_multiples(random_rows(12, 6, 6), selected_head=3)
    heatmaps = [trace for trace in figure.data if trace.type == "heatmap"]
    markers = [trace for trace in figure.data if trace.type == "scatter"]
    assert len(heatmaps) == len(markers) == 12
    assert {trace.coloraxis for trace in heatmaps} == {"coloraxis"}
    assert (figure.layout.coloraxis.cmin, figure.layout.coloraxis.cmax) == (0.0, 1.0)
    assert [set(np.asarray(m.customdata).tolist()) for m in markers] == [{h} for h in range(12)]
    assert figure.layout.annotations[3].font.color == "#e4572e"


def test_twenty_token_heatmap_payload_is_within_budget():
    tokens = [f"token{i}" for i in range(20)]
    figure = head_heatmap(random_rows(20, 20), tokens, tokens, "layer 2 · head 3")
    assert len(plotly.io.to_json(figure, validate=False)) <= 20_000


def test_small_multiples_built_without_validation_are_still_valid_plotly():
    import plotly.graph_objects as go

    figure = layer_small_multiples(random_rows(4, 3, 3), selected_head=0)
    go.Figure(figure.to_dict())  # validates every property; raises on a bad one
    assert '"bdata"' in plotly.io.to_json(figure, validate=False)  # arrays sent as base64

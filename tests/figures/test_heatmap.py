"""Figure builders: escaped tokens, hover, fixed colour range, masks, log colour, payload."""

from __future__ import annotations

import numpy as np
import plotly.io

from attnviz.figures import (
    Colouring,
    axis_labels,
    head_heatmap,
    heads_by_tokens,
    statistic_heatmap,
    token_from_label,
)


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
    assert figure.layout.xaxis.dtick == 1  # every token labelled, none skipped


def test_masked_cells_are_gaps_not_zeros():
    visible = np.tril(np.ones((3, 3), bool))
    weights = (visible / visible.sum(axis=1, keepdims=True)).astype(np.float32)
    z = np.asarray(head_heatmap(weights, "abc", "abc", visible=visible).data[0].z)
    assert np.isnan(z[0, 1]) and z[1, 0] == weights[1, 0]


def test_log_colour_colours_log10_and_hovers_the_weight():
    weights = np.array([[0.5, 0.49, 0.01], [1e-6, 0.5, 0.5 - 1e-6], [0.2, 0.3, 0.5]], np.float32)
    heatmap = head_heatmap(weights, "abc", "abc", colouring=Colouring("cividis", log=True)).data[0]
    np.testing.assert_allclose(np.asarray(heatmap.z)[0], np.log10([0.5, 0.49, 0.01]), rtol=1e-6)
    assert np.asarray(heatmap.z)[1, 0] == np.float32(-4)  # clipped at the floor
    assert (heatmap.zmin, heatmap.zmax) == (-4.0, 0.0)
    np.testing.assert_array_equal(np.asarray(heatmap.customdata), weights)
    assert "%{customdata:.3f}" in heatmap.hovertemplate
    assert heatmap.colorscale[0][1] == "#00224e"  # cividis starts dark blue


def test_heads_by_tokens_has_one_row_per_head():
    figure = heads_by_tokens(random_rows(12, 7), list("abcdefg"), "where 'c' attends", "key")
    assert len(figure.data[0].y) == 12 and [token_from_label(x) for x in figure.data[0].x] == list(
        "abcdefg"
    )


def test_statistic_heatmap_cells_click_to_layer_and_head():
    values = np.arange(6 * 12, dtype=np.float32).reshape(6, 12) / 72
    labels = [[f"{layer}.{head}" for head in range(12)] for layer in range(6)]
    figure = statistic_heatmap(values, "entropy", labels, selected=(2, 5))
    markers = figure.data[1]
    customdata = np.asarray(markers.customdata)
    assert customdata.shape == (72, 2)
    assert customdata[2 * 12 + 5].tolist() == [2, 5]
    assert markers.x[2 * 12 + 5] == 5 and markers.y[2 * 12 + 5] == 2
    assert figure.layout.shapes[0].x0 == 4.5


def test_twenty_token_heatmap_payload_is_within_budget():
    tokens = [f"token{i}" for i in range(20)]
    figure = head_heatmap(random_rows(20, 20), tokens, tokens, "layer 2 · head 3")
    assert len(plotly.io.to_json(figure, validate=False)) <= 20_000

"""Thumbnail grids: shared quantised scale, masked level, pooling, click keys, validity."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import plotly.io

from attnviz.figures import Colouring, layer_small_multiples, model_overview, thumbnail_note
from attnviz.figures.grid import block_mean, quantise


def random_rows(*shape: int) -> np.ndarray:
    weights = np.random.default_rng(0).random(shape, dtype=np.float32)
    return weights / weights.sum(axis=-1, keepdims=True)


def traces(figure: go.Figure, kind: str) -> list:
    return [trace for trace in figure.data if trace.type == kind]


def test_small_multiples_share_one_scale_and_click_to_their_head():
    figure = layer_small_multiples(random_rows(12, 6, 6), selected_head=3)
    heatmaps, markers = traces(figure, "heatmap"), traces(figure, "scatter")
    assert len(heatmaps) == len(markers) == 12
    assert {trace.coloraxis for trace in heatmaps} == {"coloraxis"}
    assert (figure.layout.coloraxis.cmin, figure.layout.coloraxis.cmax) == (0, 255)
    assert [np.unique(np.asarray(m.customdata), axis=0).tolist() for m in markers] == [
        [[h]] for h in range(12)
    ]
    assert figure.layout.annotations[3].font.color == "#e4572e"


def test_overview_has_every_layer_and_head_and_clicks_return_both():
    figure = model_overview(random_rows(6, 12, 8, 8), selected=(4, 7))
    markers = traces(figure, "scatter")
    assert len(markers) == 72
    assert np.asarray(markers[4 * 12 + 7].customdata)[0].tolist() == [4, 7]
    assert figure.layout.shapes[0].xref == "x56 domain"
    texts = [annotation.text for annotation in figure.layout.annotations]
    assert "layer 5" in texts and "head 11" in texts


def test_quantised_levels_keep_masked_cells_apart_from_zero_weight():
    visible = np.tril(np.ones((3, 3), bool))
    weights = np.array([[[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0]]], dtype=np.float32)
    levels = quantise(weights, visible, Colouring(), factor=1)
    assert levels[0, 0, 1] == 0  # masked
    assert levels[0, 2, 2] == 1  # visible weight 0 -> lowest colour, not the masked grey
    assert levels[0, 0, 0] == 255 and levels[0, 2, 0] == 128


def test_block_mean_pools_partial_blocks_by_their_real_cells():
    weights = np.arange(9, dtype=np.float32).reshape(3, 3)
    pooled = block_mean(weights, 2)
    np.testing.assert_allclose(pooled, [[(0 + 1 + 3 + 4) / 4, (2 + 5) / 2], [(6 + 7) / 2, 8]])


def test_long_inputs_are_pooled_and_the_note_says_so():
    assert "blocks of 2 x 2" in thumbnail_note(64, 64)
    assert "blocks" not in thumbnail_note(20, 20)
    figure = model_overview(random_rows(6, 12, 64, 64))
    assert np.asarray(traces(figure, "heatmap")[0].z).shape == (32, 32)


def test_overview_payload_at_64_tokens_is_within_budget_and_valid():
    figure = model_overview(random_rows(6, 12, 64, 64), colouring=Colouring("magma", log=True))
    assert len(plotly.io.to_json(figure, validate=False)) <= 1_500_000
    go.Figure(figure.to_dict())  # validates every property; raises on a bad one

"""Head aggregates, attention rollout and attention flow against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import linprog

from attnviz.analysis import (
    FLOW_LIMIT_NOTE,
    FLOW_MAX_TOKENS,
    attention_flow,
    attention_rollout,
    head_max,
    head_mean,
)
from attnviz.analysis.aggregate import residual_attention


def random_attention(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Row-stochastic float32 weights of the given shape `[..., query, key]`."""
    weights = np.random.default_rng(seed).random(shape).astype(np.float32) ** 3
    return weights / weights.sum(axis=-1, keepdims=True)


def test_head_mean_keeps_rows_stochastic_and_head_max_does_not() -> None:
    layer = np.array([[[1.0, 0.0], [0.5, 0.5]], [[0.0, 1.0], [0.5, 0.5]]], dtype=np.float32)
    np.testing.assert_allclose(head_mean(layer), [[0.5, 0.5], [0.5, 0.5]])
    np.testing.assert_allclose(head_max(layer), [[1.0, 1.0], [0.5, 0.5]])
    assert head_mean(layer).dtype == head_max(layer).dtype == np.float32
    with pytest.raises(ValueError, match=r"\[head, query, key\]"):
        head_mean(layer[0])


def test_rollout_of_two_layer_toy_by_hand() -> None:
    # Layer 0: heads [[1,0],[1,0]] and [[0,1],[0,1]]; mean [[.5,.5],[.5,.5]];
    #   + I -> [[1.5,.5],[.5,1.5]]; rows / 2 -> A0 = [[.75,.25],[.25,.75]].
    # Layer 1: both heads [[0,1],[0,1]]; mean the same; + I -> [[1,1],[0,2]];
    #   rows / 2 -> A1 = [[.5,.5],[0,1]].
    # R = A1 A0 = [[.5*.75 + .5*.25, .5*.25 + .5*.75], [.25, .75]] = [[.5,.5],[.25,.75]].
    weights = np.array(
        [
            [[[1, 0], [1, 0]], [[0, 1], [0, 1]]],
            [[[0, 1], [0, 1]], [[0, 1], [0, 1]]],
        ],
        dtype=np.float32,
    )  # [layer, head, query, key]
    np.testing.assert_allclose(attention_rollout(weights, 0), [[0.75, 0.25], [0.25, 0.75]])
    rollout = attention_rollout(weights, 1)
    np.testing.assert_allclose(rollout, [[0.5, 0.5], [0.25, 0.75]], atol=1e-7)
    assert rollout.dtype == np.float32


def test_rollout_of_identity_attention_is_identity() -> None:
    weights = np.broadcast_to(np.eye(5, dtype=np.float32), (4, 3, 5, 5))
    np.testing.assert_allclose(attention_rollout(weights, 3), np.eye(5))


def test_rollout_rows_sum_to_one() -> None:
    rollout = attention_rollout(random_attention((6, 12, 10, 10)), 5)
    np.testing.assert_allclose(rollout.sum(axis=-1), 1, atol=1e-6)


def test_rollout_refuses_cross_attention_and_bad_layers() -> None:
    with pytest.raises(ValueError, match="self-attention"):
        attention_rollout(random_attention((2, 1, 3, 4)), 0)
    with pytest.raises(ValueError, match="Layer 2 is out of range"):
        attention_rollout(random_attention((2, 1, 3, 3)), 2)
    with pytest.raises(ValueError, match="Layer -1 is out of range"):
        attention_rollout(random_attention((2, 1, 3, 3)), -1)


def test_flow_of_one_layer_is_its_residual_attention() -> None:
    # One layer: every path is a single edge, so the flow is the edge's capacity A0[i, j].
    weights = random_attention((3, 2, 5, 5))
    expected = residual_attention(weights, 0)[0]
    np.testing.assert_allclose(attention_flow(weights, 0), expected, atol=1e-5)


def test_flow_of_two_layer_toy_by_hand() -> None:
    # With two layers, paths i -> k -> j are disjoint for different k, so
    # flow[i, j] = sum_k min(A1[i, k], A0[k, j]).
    # Layer 0: one head, token k attends to k + 1 (mod 3): A0 = (W0 + I) / 2 =
    #   [[.5,.5,0],[0,.5,.5],[.5,0,.5]].
    # Layer 1: uniform: A1 = diagonal 2/3, off-diagonal 1/6.
    # Row 0: j=0: min(2/3,.5) + min(1/6,0) + min(1/6,.5) = 2/3;
    #        j=1: .5 + 1/6 + 0 = 2/3;   j=2: 0 + 1/6 + 1/6 = 1/3;   sum 5/3 -> [.4, .4, .2].
    # Rows 1 and 2 are the same cyclically shifted. (Rollout gives [5/12, 5/12, 1/6] instead.)
    shift = np.roll(np.eye(3, dtype=np.float32), 1, axis=1)
    uniform = np.full((3, 3), 1 / 3, dtype=np.float32)
    weights = np.stack([shift, uniform])[:, None]  # [layer, head, query, key]
    expected = [[0.4, 0.4, 0.2], [0.2, 0.4, 0.4], [0.4, 0.2, 0.4]]
    np.testing.assert_allclose(attention_flow(weights, 1), expected, atol=1e-5)
    np.testing.assert_allclose(attention_rollout(weights, 1)[0], [5 / 12, 5 / 12, 1 / 6], 1e-6)


def max_flow_by_linear_program(layers: np.ndarray, output: int, token: int) -> float:
    """Brute force: maximise the flow out of the top node under capacities and conservation."""
    n_layers, n, _ = layers.shape

    def node(level: int, position: int) -> int:
        return level * n + position

    # edge (layer, i, j) runs from position i at level layer + 1 down to j at level layer
    edges = [(layer, i, j) for layer in range(n_layers) for i in range(n) for j in range(n)]
    source, sink = node(n_layers, output), node(0, token)
    conservation = np.zeros(((n_layers + 1) * n, len(edges)))  # [node, edge]: in - out
    for e, (layer, i, j) in enumerate(edges):
        conservation[node(layer + 1, i), e] -= 1
        conservation[node(layer, j), e] += 1
    keep = [v for v in range(conservation.shape[0]) if v not in (source, sink)]
    out_of_source = [-1.0 if node(layer + 1, i) == source else 0.0 for layer, i, _ in edges]
    result = linprog(
        out_of_source,
        A_eq=conservation[keep],
        b_eq=np.zeros(len(keep)),
        bounds=[(0, layers[layer, i, j]) for layer, i, j in edges],
    )
    assert result.status == 0
    return -result.fun


def test_flow_matches_a_linear_program_on_three_layers() -> None:
    weights = random_attention((3, 2, 4, 4), seed=1)
    layers = residual_attention(weights, 2)
    brute = np.array(
        [[max_flow_by_linear_program(layers, i, j) for j in range(4)] for i in range(4)]
    )
    expected = brute / brute.sum(axis=-1, keepdims=True)
    flow = attention_flow(weights, 2)
    np.testing.assert_allclose(flow, expected, atol=1e-5)
    assert flow.dtype == np.float32


def test_flow_refuses_more_than_32_tokens() -> None:
    assert FLOW_MAX_TOKENS == 32
    assert "32 tokens" in FLOW_LIMIT_NOTE
    attention_flow(random_attention((1, 1, 32, 32)), 0)  # the limit itself is fine
    with pytest.raises(ValueError, match="limited to 32 tokens and this input has 33"):
        attention_flow(random_attention((1, 1, 33, 33)), 0)

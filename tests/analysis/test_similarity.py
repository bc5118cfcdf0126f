"""Head distances: Jensen-Shannon values, symmetry, zero diagonal, clustering, token checks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from attnviz.analysis.similarity import cluster_order, js_distance_matrix, tokens_line_up


def random_heads(n: int, queries: int, keys: int, seed: int = 0) -> np.ndarray:
    weights = np.random.default_rng(seed).random((n, queries, keys), dtype=np.float32)
    return weights / weights.sum(axis=-1, keepdims=True)


def test_distance_of_a_head_to_itself_is_zero_and_the_matrix_is_symmetric():
    distances = js_distance_matrix(random_heads(9, 5, 6))
    assert (np.diag(distances) == 0).all()
    np.testing.assert_array_equal(distances, distances.T)
    assert (distances >= 0).all() and (distances <= 1).all()


def test_distances_equal_scipy_row_by_row():
    heads = random_heads(4, 7, 5)
    distances = js_distance_matrix(heads)
    expected = np.mean([jensenshannon(heads[1, i], heads[3, i], base=2) for i in range(7)])
    assert distances[1, 3] == pytest.approx(expected, abs=1e-5)


def test_disjoint_one_hot_heads_are_at_distance_one():
    heads = np.zeros((2, 3, 3), dtype=np.float32)
    heads[0, :, 0] = 1
    heads[1, :, 2] = 1
    assert js_distance_matrix(heads)[0, 1] == pytest.approx(1.0, abs=1e-6)


def test_clustering_puts_near_copies_next_to_each_other():
    base = random_heads(3, 6, 6, seed=1)
    noisy = base + 1e-3 * random_heads(3, 6, 6, seed=2)
    heads = np.concatenate([base, noisy / noisy.sum(axis=-1, keepdims=True)])  # 0..2, then copies
    order = cluster_order(js_distance_matrix(heads))
    for original in range(3):
        assert abs(order.index(original) - order.index(original + 3)) == 1


def test_tokens_line_up_names_the_first_difference():
    assert tokens_line_up("ab", "ab", "ab", "ab") is None
    assert "different numbers" in tokens_line_up("ab", "ab", "abc", "abc")
    assert "“b” against “x”" in tokens_line_up("ab", "ab", "ax", "ax")

"""Head distances: Jensen-Shannon values, symmetry, zero diagonal, clustering, token checks."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon

from attnviz.analysis.similarity import (
    cluster_order,
    js_distance_matrix,
    tokens_line_up,
    word_level,
    words_line_up,
)


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


def softmax_rows(shape: tuple[int, int], seed: int) -> np.ndarray:
    logits = np.random.default_rng(seed).normal(size=shape)
    weights = np.exp(logits)
    return (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)


def test_word_level_drops_special_tokens_renormalises_and_merges_pieces():
    tokens = ["[CLS]", "the", "river", "##bank", "[SEP]"]
    weights = softmax_rows((5, 5), 1)
    merged, query, key, visible = word_level(weights, tokens, tokens)
    assert query == key == ("the", "riverbank") and visible is None
    kept = weights[1:4, 1:4] / weights[1:4, 1:4].sum(axis=1, keepdims=True)  # by hand
    expected = np.array(
        [
            [kept[0, 0], kept[0, 1] + kept[0, 2]],
            [(kept[1, 0] + kept[2, 0]) / 2, (kept[1, 1:].sum() + kept[2, 1:].sum()) / 2],
        ]
    )
    np.testing.assert_allclose(merged, expected, rtol=1e-6)


def test_two_tokenizations_of_one_text_line_up_word_by_word():
    # a BERT-like uncased tokenizer against a SentencePiece-like cased one, as /compare meets
    bert = ["[CLS]", "the", "river", "##bank", "flooded", ".", "[SEP]"]
    piece = ["▁The", "▁river", "bank", "▁flood", "ed", ".", "</s>"]
    a = word_level(softmax_rows((7, 7), 2), bert, bert)
    b = word_level(softmax_rows((7, 7), 3), piece, piece)
    assert tokens_line_up(bert, bert, piece, piece) is not None
    assert tokens_line_up(a[1], a[2], b[1], b[2]) is not None  # "the" against "The"
    assert words_line_up(a[1], a[2], b[1], b[2]) is None
    assert a[0].shape == b[0].shape == (4, 4)


def test_words_that_differ_are_named_as_they_are_written():
    assert "“Cat” against “dog”" in words_line_up(["The", "Cat"], [], ["the", "dog"], [])
    assert "different numbers" in words_line_up(["a"], ["a"], ["a", "b"], ["a", "b"])


def test_word_level_keeps_masked_cells_zero_and_a_row_that_saw_only_a_special_token_empty():
    # decoder self-attention: query i is the token produced at step i, keys start with [BOS]
    query, key = ["El", "río", "[EOS]"], ["[BOS]", "El", "río"]
    visible = np.tril(np.ones((3, 3), dtype=bool))
    weights = np.where(visible, softmax_rows((3, 3), 4), 0).astype(np.float32)
    weights /= weights.sum(axis=1, keepdims=True)
    merged, words_q, words_k, shown = word_level(weights, query, key, visible)
    assert words_q == words_k == ("El", "río")
    np.testing.assert_array_equal(shown, [[False, False], [True, False]])
    np.testing.assert_array_equal(merged[0], [0, 0])  # "El" saw only [BOS]
    assert merged[1, 1] == 0 and merged[1, 0] == pytest.approx(1.0)

"""Induction and previous-token scores on maps whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from attnviz.analysis.induction import (
    LESSON_WORDS,
    induction_scores,
    induction_targets,
    previous_token_scores,
    repeated_random_words,
)

TOKENS = ["a", "b", "c", "d", "a", "b", "c", "d"]


def causal_uniform(n: int) -> np.ndarray:
    weights = np.tril(np.ones((n, n), np.float32))
    return weights / weights.sum(-1, keepdims=True)


def test_targets_are_the_token_after_the_earlier_occurrence():
    assert induction_targets(TOKENS) == {4: 1, 5: 2, 6: 3, 7: 4}
    assert induction_targets(["x", "x", "y"]) == {}  # its own position is no target


def test_a_perfect_induction_head_scores_one_and_a_previous_token_head_scores_one():
    n = len(TOKENS)
    induction, previous = np.zeros((n, n), np.float32), np.zeros((n, n), np.float32)
    induction[0, 0] = previous[0, 0] = 1.0
    for query in range(1, n):
        previous[query, query - 1] = 1.0
        induction[query, induction_targets(TOKENS).get(query, query)] = 1.0
    weights = np.stack([np.stack([induction, previous, causal_uniform(n)])])  # [1, 3, q, k]
    scores, previous_scores = induction_scores(weights, TOKENS), previous_token_scores(weights)
    np.testing.assert_allclose(scores[0, :2], [1.0, 0.0])
    np.testing.assert_allclose(previous_scores[0, :2], [0.0, 1.0])
    # Uniform causal attention: query i gives 1 / (i + 1) to each key.
    np.testing.assert_allclose(scores[0, 2], np.mean([1 / 5, 1 / 6, 1 / 7, 1 / 8]), rtol=1e-6)
    np.testing.assert_allclose(previous_scores[0, 2], np.mean(1 / np.arange(2, n + 1)), rtol=1e-6)


def test_no_repeats_score_zero():
    weights = causal_uniform(3)[None, None]
    assert induction_scores(weights, ["a", "b", "c"]).tolist() == [[0.0]]


def test_repeated_random_words_are_seeded_and_written_twice():
    text = repeated_random_words(LESSON_WORDS, 12, 4)
    words = text.split()
    assert words[:12] == words[12:] and len(set(words)) == 12
    assert text == repeated_random_words(LESSON_WORDS, 12, 4)
    assert text != repeated_random_words(LESSON_WORDS, 12, 5)
    with pytest.raises(ValueError, match="distinct words"):
        repeated_random_words(LESSON_WORDS, 1, 0)

"""Per-head statistics and Clark et al. (2019) head roles on constructed maps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from attnviz.analysis import ROLE_THRESHOLDS, STATISTICS, head_roles, head_statistics

TOKENS = ("[CLS]", "the", "cat", "sat", ".", "[SEP]")
N = len(TOKENS)


def as_heads(*maps: np.ndarray) -> np.ndarray:
    """One layer whose heads are the given `[query, key]` maps: `[1, head, query, key]`."""
    return np.stack(maps).astype(np.float32)[None]


def one_hot_rows(keys: list[int]) -> np.ndarray:
    """`[query, key]` map where query i attends only to keys[i]."""
    weights = np.zeros((len(keys), N), dtype=np.float32)
    weights[np.arange(len(keys)), keys] = 1
    return weights


def test_keys_come_in_the_documented_order() -> None:
    stats = head_statistics(as_heads(np.eye(N)), TOKENS, TOKENS)
    assert (
        list(stats)
        == list(STATISTICS)
        == [
            "entropy",
            "normalised_entropy",
            "distance",
            "first",
            "last",
            "sep",
            "cls",
            "self",
            "previous",
            "next",
            "punctuation",
        ]
    )
    assert all(value.shape == (1, 1) and value.dtype == np.float32 for value in stats.values())


def test_entropy_of_uniform_rows_is_log_n_and_of_one_hot_rows_is_zero() -> None:
    uniform = np.full((N, N), 1 / N)
    stats = head_statistics(as_heads(uniform, np.eye(N)), TOKENS, TOKENS)
    np.testing.assert_allclose(stats["entropy"], [[math.log(N), 0]], atol=1e-6)
    np.testing.assert_allclose(stats["normalised_entropy"], [[1, 0]], atol=1e-6)


def test_normalised_entropy_counts_visible_keys_per_row() -> None:
    # Causal, uniform over the visible keys: row i has entropy log(i + 1); normalised it is 1,
    # except row 0 with a single key, which counts as 0.
    visible = np.tril(np.ones((N, N), dtype=bool))
    weights = visible / visible.sum(axis=-1, keepdims=True)
    stats = head_statistics(as_heads(weights), TOKENS, TOKENS, visible)
    expected_entropy = np.mean([math.log(i + 1) for i in range(N)])
    np.testing.assert_allclose(stats["entropy"], [[expected_entropy]], atol=1e-6)
    np.testing.assert_allclose(stats["normalised_entropy"], [[(N - 1) / N]], atol=1e-6)
    assert stats["next"][0, 0] == 0  # a causal head never looks ahead


def test_distance_on_a_constructed_map() -> None:
    # Row 0 -> key 2 (distance 2); row 1 -> half key 0, half key 2 (1); row 2 -> key 2 (0).
    weights = np.array([[0, 0, 1], [0.5, 0, 0.5], [0, 0, 1]], dtype=np.float32)
    tokens = ("a", "b", "c")
    stats = head_statistics(weights[None, None], tokens, tokens)
    np.testing.assert_allclose(stats["distance"], [[1.0]])
    np.testing.assert_allclose(stats["self"], [[1 / 3]])
    np.testing.assert_allclose(stats["last"], [[(1 + 0.5 + 1) / 3]])


def test_shares_of_first_last_punctuation_and_end_tokens() -> None:
    tokens = ("<s>", "Hello", "Ġ,", "Ġworld", "!", "</s>")
    weights = np.full((6, 6), 1 / 6, dtype=np.float32)
    stats = head_statistics(weights[None, None], tokens, tokens)
    for name, expected in [("first", 1 / 6), ("last", 1 / 6), ("punctuation", 2 / 6)]:
        np.testing.assert_allclose(stats[name], [[expected]], atol=1e-6, err_msg=name)
    np.testing.assert_allclose(stats["cls"], [[1 / 6]], atol=1e-6)
    np.testing.assert_allclose(stats["sep"], [[1 / 6]], atol=1e-6)
    stats = head_statistics(weights[None, None], ("a",) * 6, ("a",) * 6)
    assert stats["sep"][0, 0] == stats["cls"][0, 0] == stats["punctuation"][0, 0] == 0


def test_cross_attention_uses_indices_and_has_no_self() -> None:
    # 2 target steps over 3 source tokens: step i -> token i + 1, so distance 1 and "next" 1.
    weights = np.array([[0, 1, 0], [0, 0, 1]], dtype=np.float32)[None, None]
    stats = head_statistics(weights, ("el", "gato"), ("the", "cat", "</s>"))
    assert np.isnan(stats["self"][0, 0])
    np.testing.assert_allclose(stats["distance"], [[1.0]])
    np.testing.assert_allclose(stats["next"], [[1.0]])
    np.testing.assert_allclose(stats["previous"], [[0.0]])  # only step 1 has a previous key
    np.testing.assert_allclose(stats["sep"], [[0.5]])


# Each constructed head and the one role it must have, on [CLS] the cat sat . [SEP].
ROLE_MAPS = {
    "previous token": one_hot_rows([0, 0, 1, 2, 3, 4]),
    "next token": one_hot_rows([1, 2, 3, 4, 5, 5]),
    "attends to [SEP]": one_hot_rows([5] * N),
    "attends to [CLS]": one_hot_rows([0] * N),
    "self": np.eye(N, dtype=np.float32),
    "broad attention": np.full((N, N), 1 / N, dtype=np.float32),
}


def test_each_role_is_detected_on_its_map_and_no_other() -> None:
    assert list(ROLE_MAPS) == list(ROLE_THRESHOLDS)
    weights = as_heads(*ROLE_MAPS.values())
    roles = head_roles(head_statistics(weights, TOKENS, TOKENS))
    assert roles == [[(role,) for role in ROLE_MAPS]]


def test_roles_state_their_rules_and_skip_nan() -> None:
    for statistic, threshold, rule in ROLE_THRESHOLDS.values():
        assert statistic in STATISTICS and 0 < threshold < 1 and rule
    statistics = {name: np.zeros((2, 3), dtype=np.float32) for name in STATISTICS}
    statistics["self"][:] = np.nan
    statistics["previous"][1, 2] = 0.9
    roles = head_roles(statistics)
    assert roles == [[(), (), ()], [(), (), ("previous token",)]]
    with pytest.raises(ValueError, match="lack"):
        head_roles({"entropy": statistics["entropy"]})


def test_bad_input_is_refused() -> None:
    weights = as_heads(np.eye(N))
    with pytest.raises(ValueError, match="do not match"):
        head_statistics(weights, TOKENS[:-1], TOKENS)
    with pytest.raises(ValueError, match="4-D"):
        head_statistics(weights[0], TOKENS, TOKENS)
    with pytest.raises(ValueError, match="Mask of shape"):
        head_statistics(weights, TOKENS, TOKENS, np.ones((N, N - 1), dtype=bool))

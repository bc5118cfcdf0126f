"""The AttentionMaps / Run contract: shapes, dtypes, row sums, masks, tokens."""

from __future__ import annotations

import numpy as np
import pytest

from attnviz.attention import AttentionMaps, Run


def uniform(layers: int, heads: int, queries: int, keys: int) -> np.ndarray:
    return np.full((layers, heads, queries, keys), 1.0 / keys, dtype=np.float32)


def causal(n: int) -> tuple[np.ndarray, np.ndarray]:
    visible = np.tril(np.ones((n, n), bool))
    weights = visible / visible.sum(axis=1, keepdims=True)
    return weights[None, None].astype(np.float32), visible


def test_valid_maps_are_read_only_and_sliced_by_layer_and_head():
    maps = AttentionMaps("encoder_self", uniform(2, 3, 4, 4), list("abcd"), list("abcd"))
    assert (maps.n_layers, maps.n_heads) == (2, 3)
    assert maps.head(1, 2).shape == (4, 4)
    assert maps.layer(0).shape == (3, 4, 4)
    with pytest.raises(ValueError):
        maps.weights[0, 0, 0, 0] = 1.0


def test_the_callers_own_arrays_stay_writeable():
    weights, visible = causal(3)
    maps = AttentionMaps("decoder_self", weights, list("abc"), list("abc"), visible=visible)
    assert weights.flags.writeable and visible.flags.writeable
    assert not maps.weights.flags.writeable and not maps.visible.flags.writeable
    assert np.shares_memory(maps.weights, weights)  # a view, not a copy of a large run


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (np.full((1, 1, 2, 2), 0.5, dtype=np.float64), "float32"),
        (np.full((1, 2, 2), 0.5, dtype=np.float32), "4-D"),
        (np.full((1, 1, 2, 3), 1 / 3, dtype=np.float32), "do not match"),
        (np.full((1, 1, 2, 2), 0.4, dtype=np.float32), "sum to 1"),
        (np.array([[[[1.5, -0.5], [0.5, 0.5]]]], dtype=np.float32), "non-negative"),
        (np.array([[[[np.nan, 1.0], [0.5, 0.5]]]], dtype=np.float32), "finite"),
    ],
)
def test_invalid_weights_are_refused_with_a_reason(weights, message):
    with pytest.raises(ValueError, match=message):
        AttentionMaps("encoder_self", weights, ["a", "b"], ["a", "b"])


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown attention kind"):
        AttentionMaps("self", uniform(1, 1, 2, 2), "ab", "ab")


def test_masked_keys_must_be_exactly_zero():
    weights, visible = causal(3)
    AttentionMaps("decoder_self", weights, "abc", "abc", visible)
    leaky = weights.copy()
    leaky[0, 0, 0] = [0.999, 0.001, 0.0]
    with pytest.raises(ValueError, match="exactly 0"):
        AttentionMaps("decoder_self", leaky, "abc", "abc", visible)


def test_out_of_range_layer_and_head_name_the_allowed_range():
    maps = AttentionMaps("encoder_self", uniform(2, 3, 2, 2), "ab", "ab")
    with pytest.raises(ValueError, match="layers 0 to 1"):
        maps.head(2, 0)
    with pytest.raises(ValueError, match="heads 0 to 2"):
        maps.head(0, -1)


def test_run_checks_each_kind_against_its_tokens():
    source, target = ("a", "b", "c"), ("x", "y")
    cross = AttentionMaps("cross", uniform(1, 1, 2, 3), target, source)
    run = Run("m", "a b c", source, target, "x y", {"cross": cross})
    assert run.kinds == ("cross",)
    assert run.to_json()["maps"]["cross"]["weights"][0][0][1] == pytest.approx([1 / 3] * 3)
    swapped = AttentionMaps("cross", uniform(1, 1, 3, 2), source, target)
    with pytest.raises(ValueError, match="do not match"):
        Run("m", "a b c", source, target, "x y", {"cross": swapped})
    with pytest.raises(ValueError, match="has kind"):
        Run("m", "a b c", source, target, "x y", {"encoder_self": cross})


def test_run_json_has_the_documented_keys():
    maps = AttentionMaps("encoder_self", uniform(1, 2, 2, 2), "ab", "ab")
    data = Run("m", "ab", "ab", (), None, {"encoder_self": maps}).to_json()
    assert list(data) == [
        "model",
        "text",
        "output_text",
        "source_tokens",
        "target_tokens",
        "maps",
        "probabilities",
        "next_tokens",
    ]
    assert data["next_tokens"] is None
    assert list(data["maps"]["encoder_self"]) == ["query_tokens", "key_tokens", "weights"]


def test_next_tokens_need_one_row_per_token_most_probable_first():
    maps = AttentionMaps("decoder_self", uniform(1, 1, 2, 2), "ab", "ab")
    good = [[("x", 0.6), ("y", 0.3)], [("y", 0.5), ("x", 0.5)]]
    run = Run("m", "ab", "ab", (), None, {"decoder_self": maps}, next_tokens=good)
    assert run.to_json()["next_tokens"][0] == [{"token": "x", "p": 0.6}, {"token": "y", "p": 0.3}]
    with pytest.raises(ValueError, match="2 tokens"):
        Run("m", "ab", "ab", (), None, {}, next_tokens=good[:1])
    with pytest.raises(ValueError, match="most probable first"):
        Run("m", "ab", "ab", (), None, {}, next_tokens=[good[0], [("x", 0.1), ("y", 0.2)]])
    with pytest.raises(ValueError, match="<= 1"):
        Run("m", "ab", "ab", (), None, {}, next_tokens=[good[0], [("x", 0.9), ("y", 0.8)]])

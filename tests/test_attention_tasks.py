"""The contract's task additions: `pooling` and `memory` maps, and `Run.probabilities`."""

from __future__ import annotations

import json

import numpy as np
import pytest

from attnviz.attention import KINDS, AttentionMaps, Run


def row(*values: float) -> np.ndarray:
    """One query's weights as `[1, 1, 1, key]`."""
    return np.array(values, dtype=np.float32).reshape(1, 1, 1, -1)


def pooling_run(probabilities=None, weights=None) -> Run:
    tokens = ("not", "bad", "at", "all")
    weights = row(0.1, 0.6, 0.1, 0.2) if weights is None else weights
    maps = AttentionMaps("pooling", weights, ("[summary]",), tokens)
    chances = {"negative": 0.2, "positive": 0.8} if probabilities is None else probabilities
    return Run("m", "not bad at all", tokens, (), "positive", {"pooling": maps}, (), {}, chances)


def test_the_new_kinds_come_after_the_first_three():
    assert KINDS == ("encoder_self", "decoder_self", "cross", "pooling", "memory")


def test_pooling_rows_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        AttentionMaps("pooling", row(0.5, 0.4), ("[summary]",), ("a", "b"))


def test_a_pooling_map_has_one_query_over_the_source_tokens():
    run = pooling_run()
    assert run.kinds == ("pooling",)
    with pytest.raises(ValueError, match="do not match"):
        tokens = ("not", "bad", "at", "all")
        maps = AttentionMaps("pooling", row(0.25, 0.25, 0.25, 0.25), ("[summary]",), tokens)
        Run("m", "t", ("other", "bad", "at", "all"), (), None, {"pooling": maps})


def test_a_memory_map_has_the_question_as_query_and_the_sentences_as_keys():
    sentences = ("Mary went to the kitchen.", "John moved to the garden.")
    question = "Where is Mary?"
    weights = np.array([[0.9, 0.1], [0.3, 0.7], [0.5, 0.5]], dtype=np.float32)
    maps = AttentionMaps("memory", weights.reshape(3, 1, 1, 2), (question,), sentences)
    run = Run("qa", "t", (*sentences, question), (), "kitchen", {"memory": maps})
    assert run.maps["memory"].n_layers == 3
    with pytest.raises(ValueError, match="do not match"):
        Run("qa", "t", (*sentences, "Where is John?"), (), "garden", {"memory": maps})


@pytest.mark.parametrize(
    ("probabilities", "message"),
    [
        ({"negative": 0.3, "positive": 0.3}, "sum to 1"),
        ({"negative": -0.5, "positive": 1.5}, "non-negative"),
        ({"negative": float("nan"), "positive": 1.0}, "finite"),
        ({}, "not empty"),
    ],
)
def test_bad_probabilities_are_refused(probabilities, message):
    with pytest.raises(ValueError, match=message):
        pooling_run(probabilities)


def test_probabilities_are_read_only_and_in_the_json():
    run = pooling_run()
    with pytest.raises(TypeError):
        run.probabilities["positive"] = 1.0  # type: ignore[index]
    data = json.loads(json.dumps(run.to_json()))
    assert data["probabilities"] == {"negative": 0.2, "positive": 0.8}
    assert data["maps"]["pooling"]["key_tokens"] == ["not", "bad", "at", "all"]
    assert data["maps"]["pooling"]["query_tokens"] == ["[summary]"]


def test_a_run_without_probabilities_says_none():
    maps = AttentionMaps("encoder_self", np.full((1, 1, 2, 2), 0.5, np.float32), "ab", "ab")
    run = Run("m", "ab", ("a", "b"), (), None, {"encoder_self": maps})
    assert run.probabilities is None and run.to_json()["probabilities"] is None

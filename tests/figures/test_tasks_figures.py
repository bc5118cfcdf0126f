"""Figures of /tasks: shaded words, weight bars, the memory heatmap, probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from attnviz.figures.tasks import memory_heatmap, probability_bars, shaded_words, weight_bars

TOKENS = ("the", "<b>film</b>", "is", "good", "the")


def weights(n: int = len(TOKENS)) -> np.ndarray:
    values = np.arange(1, n + 1, dtype=np.float32)
    return values / values.sum()


def test_shaded_words_put_each_weight_under_its_word_and_wrap_lines():
    row = weights(13)
    tokens = [f"w{i}" for i in range(13)]
    figure = shaded_words(row, tokens, "t", words_per_line=5)
    trace = figure.data[0]
    assert np.asarray(trace.z).shape == (3, 5)
    exact = np.asarray(trace.customdata, dtype=np.float32).ravel()
    np.testing.assert_array_equal(exact[:13], row)
    assert np.isnan(exact[13:]).all()
    assert list(np.asarray(trace.text).ravel()[:13]) == tokens
    assert trace.zmax == pytest.approx(float(row.max()))


def test_shaded_words_escape_tokens_and_keep_repeats():
    trace = shaded_words(weights(), TOKENS).data[0]
    text = list(np.asarray(trace.text).ravel()[: len(TOKENS)])
    assert text == ["the", "&lt;b&gt;film&lt;/b&gt;", "is", "good", "the"]


def test_a_row_that_does_not_match_its_tokens_is_refused():
    with pytest.raises(ValueError, match="do not match"):
        shaded_words(weights(3), TOKENS)
    with pytest.raises(ValueError, match="do not match"):
        weight_bars(np.ones((2, 5), np.float32) / 5, TOKENS)


def test_weight_bars_keep_repeated_tokens_apart():
    trace = weight_bars(weights(), TOKENS).data[0]
    assert len(set(trace.x)) == len(TOKENS)
    np.testing.assert_array_equal(np.asarray(trace.y), weights())


def test_the_memory_heatmap_has_sentences_as_rows_and_outlines_each_hops_favourite():
    hops = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], dtype=np.float32)  # [hop, sentence]
    sentences = ("Mary went to the kitchen.", "John went to the <i>garden</i>.", "Mary left.")
    figure = memory_heatmap(hops, sentences, "Where is Mary?")
    trace = figure.data[0]
    np.testing.assert_array_equal(np.asarray(trace.customdata), hops.T)
    assert list(trace.x) == ["hop 0", "hop 1"]
    assert "&lt;i&gt;" in trace.y[1]
    outlined = sorted((s.x0 + 0.5, s.y0 + 0.5) for s in figure.layout.shapes)
    assert outlined == [(0, 0), (1, 2)]
    with pytest.raises(ValueError, match="hop, sentence"):
        memory_heatmap(hops, sentences[:2])


def test_probabilities_are_ranked_most_likely_first():
    trace = probability_bars({"no": 0.1, "yes": 0.7, "<x>": 0.2}).data[0]
    assert list(trace.y) == ["yes", "&lt;x&gt;", "no"]
    np.testing.assert_allclose(trace.x, [0.7, 0.2, 0.1], rtol=1e-6)

"""Beam search's hypotheses: ranked, selectable, each shown with its own alignment."""

from __future__ import annotations

import pytest

import attnviz

TEXT = "The black cat sleeps on the red sofa."


@pytest.mark.parametrize("model", ["bahdanau-en-es", "transformer-en-es"])
def test_hypotheses_are_ranked_and_the_first_is_the_beam_output(model):
    run = attnviz.run(model, TEXT, beam=4)
    hypotheses = run.extras["hypotheses"]
    assert 2 <= len(hypotheses) <= 4
    scores = [h["score"] for h in hypotheses]
    assert scores == sorted(scores, reverse=True)
    assert hypotheses[0]["text"] == run.output_text


@pytest.mark.parametrize("model", ["bahdanau-en-es", "transformer-en-es"])
def test_a_chosen_hypothesis_comes_with_its_own_alignment(model):
    second = attnviz.run(model, TEXT, beam=4, hypothesis=1)
    assert second.output_text == second.extras["hypotheses"][1]["text"]
    cross = second.maps["cross"]
    assert cross.weights.shape[2:] == (len(second.target_tokens), len(second.source_tokens))
    with pytest.raises(ValueError, match="does not exist"):
        attnviz.run(model, TEXT, beam=2, hypothesis=5)


def test_greedy_runs_list_no_hypotheses():
    assert attnviz.run("bahdanau-en-es", TEXT).extras["hypotheses"] == []

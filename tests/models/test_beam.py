"""Beam search's hypotheses: ranked, selectable, each shown with its own alignment."""

from __future__ import annotations

import pytest

import attnviz
from tests.models.teacher_forced import check_beam_run

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
    """The second hypothesis is drawn with the forced pass's attention over its own tokens,
    not the best one's."""
    loaded = attnviz.load(model)
    second = check_beam_run(loaded, TEXT, beam=4, hypothesis=1)
    first = attnviz.run(loaded, TEXT, beam=4)
    assert second.target_tokens != first.target_tokens
    with pytest.raises(ValueError, match="does not exist"):
        attnviz.run(model, TEXT, beam=2, hypothesis=5)


def test_greedy_runs_list_no_hypotheses():
    assert attnviz.run("bahdanau-en-es", TEXT).extras["hypotheses"] == []

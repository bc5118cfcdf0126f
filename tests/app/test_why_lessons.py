"""AppTest of the why-attention lessons on /classroom: the shipped quality-by-length figures,
and gradients computed live in rnnenc-en-es and bahdanau-en-es for the sentence typed."""

from __future__ import annotations

import numpy as np

from attnviz.analysis.gradients import share_by_position, source_gradients
from attnviz.models.registry import load
from attnviz.training.by_length import read_result
from tests.app.helpers import decode, figures_by_key, open_page


def test_why_attention_draws_the_shipped_figures_and_says_what_they_show():
    app = open_page("classroom", lesson="why-attention")
    assert not app.exception
    figure = figures_by_key(app, "lesson.")["by_length"]
    result = read_result()
    assert len(figure["data"]) == len(result["chrf"])
    for trace, scores in zip(figure["data"], result["chrf"].values(), strict=True):
        np.testing.assert_allclose(decode(trace["y"]), scores)
    text = " ".join(block.value for block in app.markdown)
    assert "Bahdanau, Cho and Bengio (2014" in text and "Luong, Pham and Manning 2015" in text
    assert "Cho et al. (2014, *On the Properties" in text
    rnnenc = result["chrf"]["rnnenc-en-es"]
    assert f"rnnenc-en-es falls from {rnnenc[0]:.1f}" in text
    app.multiselect(key="lesson.by_length_models").set_value(["rnnenc-en-es"]).run()
    assert len(figures_by_key(app, "lesson.")["by_length"]["data"]) == 1


def test_vanishing_gradients_are_computed_for_the_sentence_typed():
    app = open_page("classroom", lesson="vanishing-gradients")
    assert not app.exception
    text = "The old man who lives next to the river sells fresh fish and bread at the market."
    app.text_input(key="lesson.gradient_text").input(text).run()
    app.number_input(key="lesson.gradient_step").set_value(2).run()
    assert not app.exception
    figure = figures_by_key(app, "lesson.")["gradients"]
    assert figure["layout"]["yaxis"]["type"] == "log"
    for trace, name in zip(figure["data"], ("rnnenc-en-es", "bahdanau-en-es"), strict=True):
        expected = share_by_position(source_gradients(load(name), text, 1).norms)
        np.testing.assert_allclose(decode(trace["y"]), expected, rtol=1e-4)
    assert any("middle third" in block.value for block in app.markdown)


def test_a_step_past_the_translation_gets_a_sentence():
    app = open_page("classroom", lesson="vanishing-gradients")
    app.text_input(key="lesson.gradient_text").input("Hello.").run()
    app.number_input(key="lesson.gradient_step").set_value(40).run()
    assert not app.exception
    assert any("no output token 40" in error.value for error in app.error)

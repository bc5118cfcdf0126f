"""AppTest of /tasks: each model's figure carries its own weights; URL state; bad input."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import attnviz
from attnviz.analysis import attention_rollout
from tests.app.helpers import decode, figures_by_key
from tests.app.helpers import open_page as open_any

REVIEW = "The soundtrack is great but the plot is dull."
STORY = (
    "Sandra went to the hallway. John moved to the garden. Sandra journeyed to the kitchen. "
    "Where is Sandra?"
)


def open_page(**params: str) -> AppTest:
    return open_any("tasks", **params)


def cells(figure: dict, count: int) -> np.ndarray:
    """The exact weights a shaded-words figure carries, in word order."""
    return decode(figure["data"][0]["customdata"]).ravel()[:count]


def test_the_bigru_figure_shows_the_models_own_pooling_weights():
    app = open_page(model="sentiment-bigru", text=REVIEW)
    assert not app.exception
    run = attnviz.run("sentiment-bigru", REVIEW)
    shown = figures_by_key(app, "tasks.")
    weights = run.maps["pooling"].weights[0, 0, 0]
    np.testing.assert_array_equal(cells(shown["bigru.words"], len(weights)), weights)
    np.testing.assert_array_equal(decode(shown["bigru.bars"]["data"][0]["y"]), weights)
    texts = [t for t in np.array(shown["bigru.words"]["data"][0]["text"]).ravel() if t]
    assert texts == list(run.source_tokens)
    chance = run.probabilities[run.output_text]
    assert any(f"**{run.output_text}** (probability {chance:.1%})" in m.value for m in app.markdown)
    assert dict(app.query_params) == {"model": "sentiment-bigru", "text": REVIEW}


def test_minilm_shows_the_cls_row_of_the_chosen_head_and_the_rollout():
    app = open_page(model="sentiment-minilm", text=REVIEW, layer="4", head="7")
    assert not app.exception
    run = attnviz.run("sentiment-minilm", REVIEW)
    weights = run.maps["encoder_self"].weights
    shown = figures_by_key(app, "tasks.")
    n = len(run.source_tokens)
    np.testing.assert_array_equal(cells(shown["minilm.cls"], n), weights[4, 7, 0])
    np.testing.assert_allclose(cells(shown["minilm.rollout"], n), attention_rollout(weights, 5)[0])
    link = next(m.value for m in app.markdown if "/heads?" in m.value)
    assert "model=sentiment-minilm" in link and "layer=4" in link and "head=7" in link
    app.selectbox(key="tasks.head").set_value(2).run()
    np.testing.assert_array_equal(
        cells(figures_by_key(app, "tasks.")["minilm.cls"], n), weights[4, 2, 0]
    )
    assert (app.query_params["layer"], app.query_params["head"]) == ("4", "2")


def test_question_answering_shows_the_hops_over_the_sentences():
    app = open_page(model="qa-memnet", text=STORY)
    assert not app.exception
    run = attnviz.run("qa-memnet", STORY)
    heatmap = figures_by_key(app, "tasks.")["qa.memory"]["data"][0]
    hops = run.maps["memory"].weights[:, 0, 0]  # [hop, sentence]
    np.testing.assert_array_equal(decode(heatmap["customdata"]).reshape(len(hops[0]), -1), hops.T)
    assert run.output_text == "kitchen"
    assert any("**kitchen**" in m.value for m in app.markdown)
    assert app.radio(key="tasks.task").value == "Question answering"


def test_choosing_an_example_runs_it():
    app = open_page(model="qa-memnet")
    example = app.selectbox(key="tasks.story_example")
    example.set_value(example.options[1]).run()
    assert app.text_area(key="tasks.story").value == example.options[1]
    assert "milk" in app.query_params["text"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"model": "qa-memnet", "text": "Mary went to the kitchen."},
            "End the text with a question",
        ),
        ({"model": "qa-memnet", "text": "Where is Mary?"}, "at least one sentence"),
    ],
)
def test_bad_stories_get_one_clear_message(params, message):
    app = open_page(**params)
    assert not app.exception
    assert any(message in e.value for e in app.error)


def test_empty_text_and_a_bad_model_get_notices_not_tracebacks():
    app = open_page(model="no-such-model", text="   ")
    assert not app.exception
    assert any("not available here" in i.value for i in app.info)
    assert app.text_area(key="tasks.review").value.strip()  # a blank URL text: the example
    app.text_area(key="tasks.review").input("   ").run()
    assert not app.exception
    assert any("The text is empty" in w.value for w in app.warning)


def test_words_outside_the_vocabulary_are_named_and_markdown_is_escaped():
    text = "The zorblax was [great](https://example.com) ![x](https://example.com/t.png)"
    app = open_page(model="sentiment-bigru", text=text)
    assert not app.exception
    note = next(i.value for i in app.info if "vocabulary" in i.value)
    assert "zorblax" in note
    assert "](" not in note  # brackets and parentheses arrive escaped, never as a link
    assert all("https://example.com" not in m.value for m in app.markdown if "](" in m.value)


def test_heads_opens_the_fine_tuned_model():
    app = open_any("heads", model="sentiment-minilm", text=REVIEW, layer="5", head="0")
    assert not app.exception
    assert not app.error
    assert app.query_params["model"] == "sentiment-minilm"

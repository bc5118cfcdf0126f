"""AppTest of /heads: URL state, controls, figures, bad values, model folders."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import attnviz
from tests.app.helpers import chart, figures, ticks, widget, z_of
from tests.app.helpers import open_page as open_any


def open_page(**params: str) -> AppTest:
    return open_any("heads", **params)


def test_url_sentence_gives_a_figure_whose_ticks_are_the_tokens(minilm):
    text = "The riverbank <b>flooded</b> again."
    app = open_page(model="minilm-l6", text=text, layer="2", head="3")
    assert not app.exception
    run = attnviz.run(minilm, text)
    figure = chart(app, "heads.main")
    assert ticks(figure, "x") == ticks(figure, "y") == list(run.source_tokens)
    np.testing.assert_array_equal(z_of(figure), run.maps["encoder_self"].head(2, 3))
    assert "layer 2 · head 3" in figure["layout"]["title"]["text"]
    assert (widget(app.selectbox, "Layer").value, widget(app.selectbox, "Head").value) == (2, 3)
    assert len(figures(app)) == 2  # the head, and the layer's small multiples


def test_changing_layer_and_head_changes_the_figure_and_the_url(minilm):
    app = open_page(text="Cats chase mice.")
    before = z_of(chart(app, "heads.main"))
    widget(app.selectbox, "Layer").set_value(4).run()
    widget(app.selectbox, "Head").set_value(7).run()
    after = z_of(chart(app, "heads.main"))
    expected = attnviz.run(minilm, "Cats chase mice.").maps["encoder_self"].head(4, 7)
    np.testing.assert_array_equal(after, expected)
    assert not np.array_equal(before, after)
    assert (app.query_params["layer"], app.query_params["head"]) == ("4", "7")


def test_typing_a_new_sentence_updates_the_figure_and_the_url():
    app = open_page()
    app.text_area[0].input("Birds sing loudly").run()
    assert ticks(chart(app, "heads.main")) == ["[CLS]", "birds", "sing", "loudly", "[SEP]"]
    assert app.query_params["text"] == "Birds sing loudly"


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"model": "no-such-model"}, "cannot be opened"),
        ({"layer": "99"}, "layer 99 does not exist"),
        ({"head": "-1"}, "head -1 does not exist"),
        ({"layer": "two"}, "whole number"),
        ({"kind": "cross"}, "not available"),
    ],
)
def test_bad_url_values_fall_back_to_defaults_with_a_notice(params, notice):
    app = open_page(text="A short sentence.", **params)
    assert not app.exception
    assert any(notice in info.value for info in app.info)
    assert (widget(app.selectbox, "Layer").value, widget(app.selectbox, "Head").value) == (0, 0)
    assert widget(app.selectbox, "Model").value == "minilm-l6"


def test_empty_text_gets_a_message_not_a_figure():
    app = open_page()
    app.text_area[0].input("   ").run()
    assert not app.exception
    assert any("empty" in warning.value for warning in app.warning)
    assert not figures(app)


def test_a_model_folder_from_the_url_shows_all_three_kinds(tiny_folders):
    app = open_page(model=str(tiny_folders["t5"]), text="the cat sat", kind="cross", layer="1")
    assert not app.exception
    assert widget(app.selectbox, "Kind of attention").options == [
        "encoder_self",
        "decoder_self",
        "cross",
    ]
    figure = chart(app, "heads.main")
    assert ticks(figure, "x") == ["the", "cat", "sat", "</s>"]
    assert "cross · layer 1" in figure["layout"]["title"]["text"]


def test_a_broken_folder_typed_in_the_sidebar_gets_a_sentence(tmp_path):
    app = open_page()
    widget(app.selectbox, "Model").set_value("Model folder on disk…").run()
    app.text_input[0].input(str(tmp_path)).run()
    assert not app.exception
    assert any("no config.json" in error.value for error in app.error)

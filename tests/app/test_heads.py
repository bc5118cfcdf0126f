"""AppTest of /heads: URL state, controls, figures, bad values, model folders."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import attnviz
from attnviz.figures import token_from_label

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "heads.py")


def open_page(**params: str) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=120)
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()


def figures(app: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]


def main_figure(app: AppTest) -> dict:
    return figures(app)[0]


def tick_tokens(figure: dict, axis: str = "x") -> list[str]:
    return [token_from_label(label) for label in figure["data"][0][axis]]


def z_of(figure: dict) -> np.ndarray:
    z = figure["data"][0]["z"]
    import base64

    values = np.frombuffer(base64.b64decode(z["bdata"]), dtype=np.dtype(z["dtype"]))
    return values.reshape(len(figure["data"][0]["y"]), len(figure["data"][0]["x"]))


def selectbox(app: AppTest, label: str):
    return next(box for box in app.selectbox if box.label == label)


def test_url_sentence_gives_a_figure_whose_ticks_are_the_tokens(minilm):
    text = "The riverbank <b>flooded</b> again."
    app = open_page(model="minilm-l6", text=text, layer="2", head="3")
    assert not app.exception
    run = attnviz.run(minilm, text)
    figure = main_figure(app)
    assert tick_tokens(figure, "x") == tick_tokens(figure, "y") == list(run.source_tokens)
    np.testing.assert_array_equal(z_of(figure), run.maps["encoder_self"].head(2, 3))
    assert "layer 2 · head 3" in figure["layout"]["title"]["text"]
    assert (selectbox(app, "Layer").value, selectbox(app, "Head").value) == (2, 3)
    assert len(figures(app)) == 2  # the head, and the layer's small multiples


def test_changing_layer_and_head_changes_the_figure_and_the_url(minilm):
    app = open_page(text="Cats chase mice.")
    before = z_of(main_figure(app))
    selectbox(app, "Layer").set_value(4).run()
    selectbox(app, "Head").set_value(7).run()
    after = z_of(main_figure(app))
    expected = attnviz.run(minilm, "Cats chase mice.").maps["encoder_self"].head(4, 7)
    np.testing.assert_array_equal(after, expected)
    assert not np.array_equal(before, after)
    assert (app.query_params["layer"], app.query_params["head"]) == ("4", "7")


def test_typing_a_new_sentence_updates_the_figure_and_the_url():
    app = open_page()
    app.text_area[0].input("Birds sing loudly").run()
    assert tick_tokens(main_figure(app)) == ["[CLS]", "birds", "sing", "loudly", "[SEP]"]
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
    assert (selectbox(app, "Layer").value, selectbox(app, "Head").value) == (0, 0)
    assert selectbox(app, "Model").value == "minilm-l6"


def test_empty_text_gets_a_message_not_a_figure():
    app = open_page()
    app.text_area[0].input("   ").run()
    assert not app.exception
    assert any("empty" in warning.value for warning in app.warning)
    assert not figures(app)


def test_a_model_folder_from_the_url_shows_all_three_kinds(tiny_folders):
    app = open_page(model=str(tiny_folders["t5"]), text="the cat sat", kind="cross", layer="1")
    assert not app.exception
    assert selectbox(app, "Kind of attention").options == ["encoder_self", "decoder_self", "cross"]
    figure = main_figure(app)
    assert tick_tokens(figure, "x") == ["the", "cat", "sat", "</s>"]
    assert "cross · layer 1" in figure["layout"]["title"]["text"]


def test_a_broken_folder_typed_in_the_sidebar_gets_a_sentence(tmp_path):
    app = open_page()
    selectbox(app, "Model").set_value("Model folder on disk…").run()
    app.text_input[0].input(str(tmp_path)).run()
    assert not app.exception
    assert any("no config.json" in error.value for error in app.error)

"""AppTest of /translate: translation, token ticks, the step panel, comparison, dates, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import attnviz
from attnviz.figures import token_from_label
from tests.app.helpers import decode, figures_by_key
from tests.app.helpers import open_page as open_any


def open_page(**params: str) -> AppTest:
    return open_any("translate", **params)


TEXT = "The red car is very fast."


@pytest.fixture(scope="module")
def run():
    return attnviz.run("bahdanau-en-es", TEXT)


def test_a_sentence_gives_its_translation_and_token_ticks(run):
    app = open_page(text=TEXT)
    assert not app.exception
    assert any(run.output_text in block.value for block in app.markdown)
    alignment = figures_by_key(app, "translate.")["alignment"]
    heatmap = alignment["data"][0]
    assert [token_from_label(x) for x in heatmap["x"]] == list(run.source_tokens)
    assert [token_from_label(y) for y in heatmap["y"]] == list(run.target_tokens)


def test_choosing_a_step_updates_the_panel_to_that_row(run):
    app = open_page(text=TEXT)
    app.select_slider(key="translate.step").set_value(2).run()
    figures = figures_by_key(app, "translate.")
    weights = decode(figures["weights"]["data"][0]["y"])
    alignment = decode(figures["alignment"]["data"][0]["z"]).reshape(len(run.target_tokens), -1)
    np.testing.assert_array_equal(weights, alignment[2])
    np.testing.assert_array_equal(weights, run.maps["cross"].weights[0, 0, 2])
    scores = decode(figures["scores"]["data"][0]["y"])
    np.testing.assert_array_equal(scores, run.maps["cross"].scores[0, 0, 2])
    assert app.query_params["step"] == "2"
    assert any(f"emitted “{run.target_tokens[2]}”" in block.value for block in app.markdown)


def test_the_formula_matches_the_scoring_function():
    app = open_page(text=TEXT)
    assert any(r"\tanh" in latex.value for latex in app.latex)
    assert any("Bahdanau, Cho and Bengio (2014)" in block.value for block in app.markdown)


def test_the_comparison_shows_one_figure_per_translator():
    from attnviz.models.registry import REGISTRY

    translators = [
        name
        for name in (
            "bahdanau-en-es",
            "luong-dot-en-es",
            "luong-general-en-es",
            "transformer-en-es",
        )
        if name in REGISTRY
    ]
    app = open_page(text=TEXT)
    compared = [name for name in figures_by_key(app, "translate.") if name.startswith("compare.")]
    assert compared == [f"compare.{name}" for name in translators]


def test_dates_show_a_character_alignment():
    app = open_page(model="bahdanau-dates", text="Nov 27th 2026")
    assert not app.exception
    assert any("2026-11-27" in block.value for block in app.markdown)
    heatmap = figures_by_key(app, "translate.")["alignment"]["data"][0]
    assert [token_from_label(x) for x in heatmap["x"]][:3] == ["N", "o", "v"]


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"model": "nope"}, "not available"),
        ({"step": "99"}, "step 99 does not exist"),
        ({"beam": "0"}, "beam 0 does not exist (1 to 5)"),
        ({"beam": "9"}, "beam 9 does not exist (1 to 5)"),
        ({"beam": "lots"}, "whole number"),
    ],
)
def test_bad_url_values_fall_back_with_a_notice(params, notice):
    app = open_page(text=TEXT, **params)
    assert not app.exception
    assert any(notice in info.value for info in app.info)


def test_empty_text_gets_a_message():
    app = open_page(text=TEXT)
    app.text_input(key="translate.text").input("   ").run()
    assert not app.exception
    assert any("empty" in warning.value for warning in app.warning)


def test_beam_search_hypotheses_are_selectable():
    app = open_page(text=TEXT, beam="3")
    choices = app.radio(key="translate.hyp")
    assert len(choices.options) >= 2
    choices.set_value(1).run()
    expected = attnviz.run("bahdanau-en-es", TEXT, beam=3, hypothesis=1)
    assert any(f"**Translation:** {expected.output_text}" == b.value for b in app.markdown)
    assert app.query_params["hyp"] == "1"
    alignment = figures_by_key(app, "translate.")["alignment"]["data"][0]
    assert len(alignment["y"]) == len(expected.target_tokens)


def test_stepping_through_reveals_the_translation_token_by_token(run):
    app = open_page(text=TEXT)
    assert any(block.value == "**So far:** …" for block in app.markdown)
    app.button(key="translate.next").click().run()
    app.button(key="translate.next").click().run()
    shown = " ".join(run.target_tokens[:2])
    assert any(block.value == f"**So far:** {shown}" for block in app.markdown)
    growing = figures_by_key(app, "translate.")["growing"]["data"][0]
    assert [token_from_label(y) for y in growing["y"]] == list(run.target_tokens[:2])
    app.button(key="translate.reset").click().run()
    assert any(block.value == "**So far:** …" for block in app.markdown)


def test_a_name_in_pieces_is_one_column_unless_the_url_asks_for_pieces():
    text = "Zorbek Kowalczyk visited the old museum."
    run = attnviz.run("bahdanau-en-es", text)
    assert len(run.source_tokens) > len(text.split()) + 1  # the name came in pieces
    words = figures_by_key(open_page(text=text), "translate.")["alignment"]["data"][0]
    columns = [token_from_label(x) for x in words["x"]]
    assert columns[:2] == ["Zorbek", "Kowalczyk"]
    merged = decode(words["z"]).reshape(len(run.target_tokens), -1)
    np.testing.assert_allclose(merged.sum(axis=1), 1.0, atol=1e-5)
    pieces = open_page(text=text, words="0")
    assert pieces.query_params["words"] == "0"
    heatmap = figures_by_key(pieces, "translate.")["alignment"]["data"][0]
    assert [token_from_label(x) for x in heatmap["x"]] == list(run.source_tokens)


def test_choosing_dates_starts_from_an_example_and_junk_gets_a_sentence():
    app = open_page(text=TEXT)
    app.radio(key="translate.mode").set_value("Dates").run()
    assert not app.exception and not app.warning
    assert app.text_input(key="translate.date").value == "Thursday, 27 November 2026"
    app.text_input(key="translate.date").input("hello world").run()
    assert any("holds no date" in error.value for error in app.error)
    app.text_input(key="translate.date").input("31 Feb 2020").run()
    assert any("not a real date" in info.value for info in app.info)


@pytest.mark.parametrize(
    ("english", "spanish"),
    [
        ("The black cat sleeps on the red sofa.", "El gato negro duerme en el sofá rojo."),
        ("Where is the train station?", "¿Dónde está la estación de tren?"),
        ("I don't like cold coffee.", "No me gusta el café frío."),
        ("Can you open the window, please?", "¿Puedes abrir la ventana, por favor?"),
        ("Anna has 12 books.", "Anna tiene 12 libros."),
    ],
)
def test_the_pages_examples_are_translated_well(english, spanish):
    """The examples on /translate are sentences the default translator gets right."""
    assert english in open_page().selectbox(key="translate.example").options
    assert attnviz.run("bahdanau-en-es", english).output_text == spanish

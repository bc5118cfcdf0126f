"""AppTest of /compare: both sides from the URL, presets, difference, similarity, heads off."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import attnviz
from tests.app.helpers import figures, figures_by_key, ticks, widget, z_of
from tests.app.helpers import open_page as open_any


def open_page(**params: str) -> AppTest:
    return open_any("compare", **params)


TEXT = "The riverbank flooded again."


def test_both_sides_come_from_the_url_and_show_their_heads(minilm):
    app = open_page(text=TEXT, layer="2", head="3", layer2="4", head2="1")
    assert not app.exception
    shown = figures_by_key(app, "compare.")
    weights = attnviz.run(minilm, TEXT).maps["encoder_self"].weights
    np.testing.assert_array_equal(z_of(shown["figure_A"]), weights[2, 3])
    np.testing.assert_array_equal(z_of(shown["figure_B"]), weights[4, 1])
    np.testing.assert_allclose(z_of(shown["difference"]), weights[2, 3] - weights[4, 1], atol=1e-7)
    assert app.query_params["layer2"] == "4" and app.query_params["head2"] == "1"


def test_the_difference_of_identical_configurations_is_all_zeros():
    app = open_page(text=TEXT, layer="1", head="2", layer2="1", head2="2")
    difference = z_of(figures_by_key(app, "compare.")["difference"])
    assert (difference == 0).all()


@pytest.mark.parametrize(
    ("preset", "check"),
    [
        ("Two heads of one layer", lambda q: q["head2"] == "3" and q["layer2"] == "1"),
        ("Same head, two layers", lambda q: q["layer2"] == "2" and q["head2"] == "2"),
        ("One head, two sentences", lambda q: q["text2"] != q["text"] and q["head2"] == "2"),
    ],
)
def test_presets_set_up_side_b_in_one_click(preset, check):
    app = open_page(text=TEXT, layer="1", head="2", layer2="5", head2="9")
    widget(app.button, preset).click().run()
    assert not app.exception
    assert check(app.query_params)


def test_two_models_preset_says_when_there_is_no_other_model_with_that_kind(tiny_folders):
    app = open_page(text=TEXT)
    widget(app.button, "Two models, one text").click().run()
    assert not app.exception
    assert app.query_params["model2"] in attnviz.models.registry.REGISTRY


def test_different_tokenizations_get_a_reason_and_words_line_them_up(tiny_folders):
    # the tiny BERT vocabulary splits "cats" into "cat ##s"; MiniLM keeps "cats" whole
    app = open_page(text="the cats sat on the mat", model2=str(tiny_folders["bert"]))
    assert any("No difference map" in info.value for info in app.info)
    app.toggle(key="compare.words").set_value(True).run()
    assert not any("No difference map" in info.value for info in app.info)
    assert app.query_params["words"] == "1"


def test_the_similarity_matrix_covers_every_pair_of_heads():
    app = open_page(text="Birds sing.")
    similarity = figures_by_key(app, "compare.")["similarity"]
    assert len(similarity["data"][0]["x"]) == 72
    assert any("Jensen-Shannon" in caption.value for caption in app.caption)


def test_switching_heads_off_from_the_url_shows_what_changes(minilm):
    app = open_page(text=TEXT, off="0.3,1.7,9.9")
    assert not app.exception
    assert any("9.9 do not exist" in info.value for info in app.info)
    assert app.query_params["off"] == "0.3,1.7"
    assert any("Cosine similarity" in metric.label for metric in app.metric)
    plain = attnviz.run(minilm, TEXT).extras["sentence_embedding"]
    ablated = attnviz.run(
        minilm, TEXT, ablate=[("encoder_self", 0, 3), ("encoder_self", 1, 7)]
    ).extras["sentence_embedding"]
    expected = plain @ ablated / np.linalg.norm(plain) / np.linalg.norm(ablated)
    assert app.metric[0].value == f"{expected:.4f}"


def test_bad_url_values_fall_back_with_a_notice():
    app = open_page(model2="nowhere", layer2="99", head="-4", words="perhaps")
    assert not app.exception
    notices = " ".join(info.value for info in app.info)
    assert "cannot be opened" in notices and "layer 99" in notices and "head -4" in notices
    assert "words must be 1 or 0" in notices


def test_switching_off_a_translators_heads_shows_both_outputs():
    app = open_page(model="transformer-en-es", text="The red car is very fast.", kind="cross")
    app.multiselect(key="compare.off_select").set_value(["2.0", "2.1", "2.2", "2.3"]).run()
    assert not app.exception
    outputs = [block.value for block in app.markdown if block.value.startswith("**Output")]
    assert len(outputs) == 2 and "El coche rojo" in outputs[0]
    assert app.query_params["off"] == "2.0,2.1,2.2,2.3"


# --- advice that works, and views for a model with a single head (issue 16, items 4 and 5) ---


def notices(app: AppTest) -> str:
    return " ".join(info.value for info in app.info)


def test_two_models_on_one_text_line_up_word_by_word_as_the_advice_says():
    # minilm-l6: [CLS] the animal ... [SEP]; transformer-en-es: The animal ... [EOS]
    app = open_page()
    widget(app.button, "Two models, one text").click().run()
    assert app.query_params["model2"] == "transformer-en-es"
    assert "No difference map" in notices(app) and "Turn on “Compare words”" in notices(app)
    app.toggle(key="compare.words").set_value(True).run()
    assert not app.exception
    assert "No difference map" not in notices(app)
    shown = figures_by_key(app, "compare.")
    a, b, difference = shown["figure_A"], shown["figure_B"], shown["difference"]
    assert ticks(a) == ticks(difference) and "[CLS]" not in ticks(a) and "[EOS]" not in ticks(b)
    assert [token.casefold() for token in ticks(a)] == [token.casefold() for token in ticks(b)]
    np.testing.assert_allclose(z_of(difference), z_of(a) - z_of(b), atol=1e-6)
    np.testing.assert_allclose(z_of(a).sum(axis=1), 1.0, rtol=1e-5)  # renormalised rows


def test_two_sentences_get_no_advice_that_cannot_work():
    app = open_page(text=TEXT)
    widget(app.button, "One head, two sentences").click().run()
    assert "No difference map" in notices(app) and "different texts" in notices(app)
    assert "Compare words" not in notices(app)
    app.toggle(key="compare.words").set_value(True).run()
    assert "No difference map" in notices(app) and "Compare words" not in notices(app)


def test_a_single_head_model_gets_defaults_that_fit_and_no_one_square_similarity():
    app = open_page(model="bahdanau-en-es", text="The red car is very fast.")
    assert not app.exception
    assert "does not exist" not in notices(app)
    assert (app.query_params["head2"], app.query_params["layer2"]) == ("0", "0")
    assert "single cross head" in notices(app)
    assert len(figures(app)) == 3  # A, B and their difference; no 1 x 1 similarity matrix
    assert widget(app.button, "Two heads of one layer").disabled
    assert widget(app.button, "Same head, two layers").disabled
    assert not widget(app.button, "Two models, one text").disabled
    assert any("no second head and no second layer" in c.value for c in app.caption)
    assert "cannot switch its cross heads off" in notices(app) and not app.multiselect


def test_a_users_own_value_out_of_range_is_named_with_the_true_range():
    app = open_page(model="bahdanau-en-es", text="The red car is very fast.", head2="1")
    assert "head 1 does not exist (only 0)" in notices(app)


def test_side_b_takes_side_as_layer_only_where_it_fits_and_then_says_nothing():
    app = open_page(text=TEXT, layer="5", head="11", model2="transformer-en-es")
    assert not app.exception
    assert "does not exist" not in notices(app)
    assert app.query_params["layer"] == "5" and app.query_params["layer2"] == "0"
    assert app.query_params["head2"] == "0"  # head 12 would come next; B has four heads

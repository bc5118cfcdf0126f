"""AppTest of the /heads views and display options: each control changes what is drawn."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

import attnviz
from attnviz.analysis import (
    FLOW_LIMIT_NOTE,
    STATISTICS,
    attention_flow,
    attention_rollout,
    head_max,
    head_mean,
    head_statistics,
)
from tests.app.helpers import chart, decode, figures, ticks, z_of
from tests.app.helpers import open_page as open_any


def open_page(**params: str) -> AppTest:
    return open_any("heads", **params)


TEXT = "The riverbank flooded, so we left."


@pytest.fixture(scope="module")
def run(minilm):
    return attnviz.run(minilm, TEXT)


def test_overview_draws_every_layer_and_head(run):
    app = open_page(text=TEXT, view="overview")
    (figure,) = figures(app)
    assert sum(trace["type"] == "heatmap" for trace in figure["data"]) == 72
    assert any("rounded to 255 levels" in caption.value for caption in app.caption)
    assert app.query_params["view"] == "overview"


@pytest.mark.parametrize("aggregate", ["mean", "max", "rollout", "flow"])
def test_aggregates_equal_the_analysis_functions(run, aggregate):
    app = open_page(text=TEXT, view="aggregate", aggregate=aggregate, layer="3")
    weights = run.maps["encoder_self"].weights
    expected = {
        "mean": lambda: head_mean(weights[3]),
        "max": lambda: head_max(weights[3]),
        "rollout": lambda: attention_rollout(weights, 3),
        "flow": lambda: attention_flow(weights, 3),
    }[aggregate]()
    np.testing.assert_allclose(z_of(chart(app, "heads.aggregate_chart")), expected, rtol=1e-6)


def test_flow_explains_its_token_limit():
    app = open_page(text="word " * 40, view="aggregate", aggregate="flow")
    assert any(FLOW_LIMIT_NOTE in info.value for info in app.info)
    assert not figures(app)


def test_rollout_of_cross_attention_says_why_not(tiny_folders):
    app = open_page(model=str(tiny_folders["t5"]), text="the cat", kind="cross", view="aggregate")
    next(box for box in app.selectbox if box.label == "Aggregate").set_value("rollout").run()
    assert any("self kind" in info.value for info in app.info)


def test_statistics_map_shows_the_chosen_statistic_with_roles(run):
    app = open_page(text=TEXT, view="statistics", statistic="previous")
    maps = run.maps["encoder_self"]
    expected = head_statistics(maps.weights, maps.query_tokens, maps.key_tokens)["previous"]
    (figure,) = figures(app)
    np.testing.assert_allclose(decode(figure["data"][0]["z"]).reshape(6, 12), expected, rtol=1e-6)
    assert any("prev" in text for row in figure["data"][0]["text"] for text in row)
    assert any("Clark" in expander.label for expander in app.expander)


def test_token_focus_shows_one_row_per_head_for_the_chosen_token(run):
    app = open_page(text=TEXT, view="token", token="2", layer="1")
    left, right = figures(app)
    weights = run.maps["encoder_self"].weights[1]  # [head, query, key]
    np.testing.assert_array_equal(z_of(left), weights[:, 2, :])
    np.testing.assert_array_equal(z_of(right), weights[:, :, 2])
    assert "river" in left["layout"]["title"]["text"]


def test_hiding_special_tokens_renormalises_rows_and_says_so():
    app = open_page(text=TEXT, hide="1")
    figure = chart(app, "heads.main")
    assert "[CLS]" not in ticks(figure) and "[SEP]" not in ticks(figure)
    np.testing.assert_allclose(z_of(figure).sum(axis=1), 1.0, rtol=1e-5)
    assert any("renormalised" in info.value for info in app.info)


def test_merging_word_pieces_gives_words_and_says_so():
    app = open_page(text=TEXT, merge="1")
    figure = chart(app, "heads.main")
    assert "riverbank" in ticks(figure) and "##bank" not in ticks(figure)
    np.testing.assert_allclose(z_of(figure).sum(axis=1), 1.0, rtol=1e-5)
    assert any("merged" in info.value for info in app.info)


def test_colour_scale_and_log_colour_change_the_figure():
    app = open_page(text=TEXT, scale="cividis", log="1")
    heatmap = chart(app, "heads.main")["data"][0]
    assert heatmap["colorscale"][0][1] == "#00224e" and heatmap["zmin"] == -4
    app.toggle(key="heads.log").set_value(False).run()
    assert chart(app, "heads.main")["data"][0]["zmin"] == 0
    assert "log" not in app.query_params


def test_decoder_only_models_draw_the_causal_triangle_as_masked(tiny_folders):
    app = open_page(model=str(tiny_folders["gpt2"]), text="the cat sat on the mat")
    figure = chart(app, "heads.main")
    z = z_of(figure)
    upper = np.triu(np.ones_like(z, dtype=bool), k=1)
    assert np.isnan(z[upper]).all() and not np.isnan(z[~upper]).any()
    assert figure["layout"]["plot_bgcolor"] == "#d0d0d0"


# --- labels, first word, pickers that do something, single-head models (issue 16) ---


def test_the_statistic_list_shows_labels_while_the_url_keeps_ids():
    app = open_page(text=TEXT, view="statistics")
    box = next(box for box in app.selectbox if box.label == "Statistic")
    assert "Normalised entropy" in box.options and "Attention to [SEP] (end tokens)" in box.options
    assert not {"normalised_entropy", "sep", "cls"} & set(box.options)
    box.set_value("sep").run()
    assert app.query_params["statistic"] == "sep"
    assert chart(app, "heads.statistics")["data"][0]["colorbar"]["title"]["text"].startswith(
        "Attention to [SEP]"
    )


def test_token_focus_starts_on_the_first_word_not_on_cls():
    app = open_page(text=TEXT, view="token")
    token = next(box for box in app.selectbox if box.label == "Token")
    assert token.value == 1 and app.query_params["token"] == "1"
    assert "the" in chart(app, "heads.focus_from")["layout"]["title"]["text"]


@pytest.mark.parametrize("view", ["aggregate", "token"])
def test_views_of_a_whole_layer_have_no_head_picker_and_keep_the_head(view):
    app = open_page(text=TEXT, view=view, layer="2", head="3")
    assert "Head" not in [box.label for box in app.selectbox]
    assert app.query_params["head"] == "3"
    app.radio(key="heads.view").set_value("head").run()
    assert next(box for box in app.selectbox if box.label == "Head").value == 3
    assert app.query_params["head"] == "3"


def test_a_single_head_model_is_offered_only_the_views_that_mean_something():
    app = open_page(model="bahdanau-en-es", text="The red car is very fast.", view="statistics")
    assert not app.exception
    assert any("Statistics compares heads" in info.value for info in app.info)
    assert app.radio(key="heads.view").options == ["Head", "Token focus"]
    assert any("Model overview, Aggregates, Statistics" in c.value for c in app.caption)
    assert "view" not in app.query_params
    assert len(figures(app)) == 1  # the head alone, without a one-thumbnail small multiple


def test_one_head_per_layer_offers_rollout_and_flow_but_not_mean_or_max():
    from attnviz.ui import heads as views

    assert views.aggregates_for(3, 1) == ("rollout", "flow")
    assert views.aggregates_for(1, 4) == views.AGGREGATES
    assert views.aggregates_for(1, 1) == ()
    assert "statistics" in views.views_for(3, 1) and "statistics" not in views.views_for(1, 1)
    assert set(views.STATISTIC_LABELS) == set(STATISTICS)
    assert views.first_word(["[CLS]", "<s>", "the"]) == 2 and views.first_word(["[CLS]"]) == 0


def test_the_role_legend_names_statistics_by_their_labels():
    app = open_page(text=TEXT, view="statistics")
    legend = " ".join(block.value for block in app.markdown if block.value.startswith("- **"))
    assert "in numbers: attention to \\[SEP\\] (end tokens) \\> 0.5" in legend
    assert "`sep`" not in legend

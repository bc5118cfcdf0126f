"""AppTest of what /translate says and lets a reader do: whole words in the step-through, the
Transformer's alignment named as a mean of heads, examples that can be chosen again, and the
scoring comparison one map at a time on a projector."""

from __future__ import annotations

import numpy as np
import pytest

import attnviz
from attnviz.figures import token_from_label
from attnviz.models.tokens import detokenize
from tests.app.helpers import decode, figures_by_key, open_page

EXAMPLE = "The black cat sleeps on the red sofa."
# "sleeps" and "duerme" come in pieces (sleep ##s, duer ##me): the step-through must not.
PIECES = EXAMPLE


def test_choosing_the_same_example_again_after_an_edit_restores_it():
    app = open_page("translate")
    picker = app.selectbox(key="translate.example")
    picker.set_value(EXAMPLE).run()
    assert app.text_input(key="translate.text").value == EXAMPLE
    assert app.selectbox(key="translate.example").value is None  # ready to be chosen again
    app.text_input(key="translate.text").input("My own sentence.").run()
    app.selectbox(key="translate.example").set_value(EXAMPLE).run()
    assert not app.exception
    assert app.text_input(key="translate.text").value == EXAMPLE
    assert app.query_params["text"] == EXAMPLE


def test_the_step_through_shows_words_not_pieces():
    run = attnviz.run("bahdanau-en-es", PIECES)
    assert any(token.startswith("##") for token in run.target_tokens)
    assert any(token.startswith("##") for token in run.source_tokens)
    app = open_page("translate", text=PIECES)
    for _ in run.target_tokens:
        app.button(key="translate.next").click().run()
    so_far = [block.value for block in app.markdown if block.value.startswith("**So far:**")]
    assert so_far == [f"**So far:** {run.output_text}"]
    assert "##" not in so_far[0] and " ." not in so_far[0]
    growing = figures_by_key(app, "translate.")["growing"]["data"][0]
    columns = [token_from_label(x) for x in growing["x"]]
    assert "sleeps" in columns and not any(column.startswith("##") for column in columns)
    z = decode(growing["z"]).reshape(len(growing["y"]), -1)
    np.testing.assert_allclose(z.sum(axis=1), 1.0, atol=1e-5)  # a word's pieces summed


def test_the_step_through_text_is_words_at_every_step():
    run = attnviz.run("bahdanau-en-es", PIECES)
    split = next(i for i, token in enumerate(run.target_tokens) if token.startswith("##"))
    app = open_page("translate", text=PIECES)
    for _ in range(split + 1):
        app.button(key="translate.next").click().run()
    expected = detokenize(run.target_tokens[: split + 1])
    assert any(block.value == f"**So far:** {expected}" for block in app.markdown)
    assert "##" not in expected


def test_the_transformer_alignment_says_it_is_the_mean_of_a_layers_heads():
    app = open_page("translate", model="transformer-en-es", text=EXAMPLE)
    assert not app.exception
    info = attnviz.load("transformer-en-es").info
    layers, heads = info.layers["cross"], info.heads["cross"]
    title = figures_by_key(app, "translate.")["alignment"]["layout"]["title"]["text"]
    assert f"layer {layers - 1}" in title and f"mean of its {heads} heads" in title
    assert any(f"the mean of its {heads} heads" in caption.value for caption in app.caption)
    rnn = open_page("translate", model="bahdanau-en-es", text=EXAMPLE)
    rnn_title = figures_by_key(rnn, "translate.")["alignment"]["layout"]["title"]["text"]
    assert "mean" not in rnn_title
    assert not any("mean of its" in caption.value for caption in rnn.caption)


def test_the_comparison_titles_name_the_transformers_heads():
    app = open_page("translate", text=EXAMPLE)
    figures = figures_by_key(app, "translate.")
    title = figures["compare.transformer-en-es"]["layout"]["title"]["text"]
    assert "mean of its" in title and "heads" in title
    app.selectbox(key="translate.t_head").set_value(1).run()
    title = figures_by_key(app, "translate.")["compare.transformer-en-es"]["layout"]["title"]
    assert "head 1" in title["text"] and "mean" not in title["text"]


@pytest.mark.parametrize("present", ["1", "0"])
def test_the_comparison_is_one_map_at_a_time_in_presentation_mode(present):
    app = open_page("translate", text=EXAMPLE, present=present)
    layout = app.radio(
        key="translate.compare_layout.room" if present == "1" else "translate.compare_layout"
    )
    compared = sorted(name for name in figures_by_key(app, "translate.") if "compare." in name)
    if present == "0":
        assert layout.value == "Two to a row" and len(compared) == 4
        return
    assert layout.value == "One at a time"
    assert compared == ["compare.bahdanau-en-es"]
    app.radio(key="translate.compare_one").set_value("luong-general-en-es").run()
    compared = [name for name in figures_by_key(app, "translate.") if "compare." in name]
    assert compared == ["compare.luong-general-en-es"]
    app.radio(key="translate.compare_layout.room").set_value("Two to a row").run()
    compared = [name for name in figures_by_key(app, "translate.") if "compare." in name]
    assert len(compared) == 4

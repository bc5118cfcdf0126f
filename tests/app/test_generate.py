"""AppTest of /generate: bars reshaped by temperature and top-k, Next grows the causal map."""

from __future__ import annotations

import numpy as np
import pytest

import attnviz
from attnviz.analysis.next_token import draw, reshaped
from tests.app.helpers import decode, figures_by_key, open_page

PROMPT = "the cat sat on"


@pytest.fixture(scope="module")
def gpt2(tiny_folders):
    return str(tiny_folders["gpt2"])


def bars(app) -> dict:
    return next(f for key, f in figures_by_key(app, "generate.").items() if key.startswith("bars"))


def test_bars_are_the_models_distribution_reshaped_and_the_url_keeps_the_state(gpt2):
    app = open_page("generate", model=gpt2, text=PROMPT, temperature="0.5", top_k="5", seed="4")
    assert not app.exception
    run = attnviz.run(gpt2, PROMPT)
    last = run.extras["last_logits"]
    expected, excluded = reshaped(np.array(last["logits"]), 0.5, 5)
    shown = decode(bars(app)["data"][0]["y"])
    np.testing.assert_allclose(shown, expected, rtol=1e-6)
    assert shown[excluded].sum() == 0 and (shown > 0).sum() == 5
    assert app.query_params["temperature"] == "0.5" and app.query_params["top_k"] == "5"
    assert app.query_params["model"] == gpt2 and app.query_params["seed"] == "4"
    causal = figures_by_key(app, "generate.")["map"]
    assert len(causal["data"][0]["y"]) == len(run.source_tokens)


def test_next_appends_the_drawn_token_and_the_map_gains_a_row(gpt2):
    app = open_page("generate", model=gpt2, text=PROMPT, temperature="1", seed="2")
    run = attnviz.run(gpt2, PROMPT)
    last = run.extras["last_logits"]
    index = draw(reshaped(np.array(last["logits"]), 1.0, 0)[0], 2, len(run.source_tokens))
    expected = attnviz.load(gpt2).append(run.text, last["ids"][index])
    app.button(key="generate.next").click().run()
    assert not app.exception
    assert app.text_area(key="generate.text").value == expected
    assert app.query_params["text"] == expected
    grown = attnviz.run(gpt2, expected)
    assert len(figures_by_key(app, "generate.")["map"]["data"][0]["y"]) == len(grown.source_tokens)


def test_temperature_zero_highlights_the_most_probable_token(gpt2):
    app = open_page("generate", model=gpt2, text=PROMPT, temperature="0")
    colours = bars(app)["data"][0]["marker"]["color"]
    assert colours[0] != colours[1]  # the first (most probable) bar is the one Next appends
    assert any("Next token (drawn with the seed)" in m.value for m in app.markdown)


def test_bad_url_values_fall_back_with_a_notice_and_an_encoder_is_refused(gpt2, tiny_folders):
    app = open_page("generate", model=gpt2, text=PROMPT, temperature="hot", top_k="999")
    assert not app.exception
    notices = " ".join(info.value for info in app.info)
    assert "temperature must be a number" in notices and "999 does not exist" in notices
    assert app.query_params["temperature"] == "1.0" and app.query_params["top_k"] == "0"
    app = open_page("generate", model=str(tiny_folders["bert"]), text=PROMPT)
    assert not app.exception
    assert any("not a causal language model" in e.value for e in app.error)

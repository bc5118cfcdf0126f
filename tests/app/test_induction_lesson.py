"""AppTest of the induction-heads lesson: the score maps are the shipped model's own."""

from __future__ import annotations

import numpy as np

import attnviz
from attnviz.analysis.induction import (
    LESSON_WORDS,
    induction_scores,
    previous_token_scores,
    repeated_random_words,
)
from tests.app.helpers import decode, figures_by_key, open_page


def test_the_lesson_shows_every_heads_scores_and_the_best_induction_head():
    app = open_page("classroom", lesson="induction-heads")
    assert not app.exception
    app.slider(key="lesson.induction.words").set_value(20).run()
    app.number_input(key="lesson.induction.seed").set_value(3).run()
    assert not app.exception
    run = attnviz.run("gpt-austen", repeated_random_words(LESSON_WORDS, 20, 3))
    weights = run.maps["decoder_self"].weights
    shown = figures_by_key(app, "lesson.induction.")
    expected = induction_scores(weights, run.source_tokens)
    np.testing.assert_allclose(
        decode(shown["induction_map"]["data"][0]["z"]).reshape(expected.shape), expected
    )
    np.testing.assert_allclose(
        decode(shown["previous_map"]["data"][0]["z"]).reshape(expected.shape),
        previous_token_scores(weights),
    )
    best = np.unravel_index(int(expected.argmax()), expected.shape)
    head_map = shown["head_map"]
    assert f"layer {best[0]} · head {best[1]}" in head_map["layout"]["title"]["text"]
    assert any("/heads?" in m.value and "kind=decoder_self" in m.value for m in app.markdown)

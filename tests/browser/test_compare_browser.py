"""In Chromium: a /compare URL sets up both sides; both figures show the CLI's heads."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np

from tests.browser.helpers import cli_maps, read_figure, tokens_of, wait_until_drawn

TEXT_A = "The animal didn't cross the street because it was too tired."
TEXT_B = "The trophy didn't fit in the suitcase because it was too big."


def test_a_comparison_url_draws_both_sides_and_their_difference(server_url, page):
    params = {
        "model": "minilm-l6",
        "text": TEXT_A,
        "layer": 1,
        "head": 4,
        "model2": "minilm-l6",
        "text2": TEXT_B,
        "layer2": 3,
        "head2": 9,
    }
    page.goto(f"{server_url}/compare?{urlencode(params)}")
    wait_until_drawn(page, figures=3)
    side_a, side_b = read_figure(page, 0), read_figure(page, 1)
    tokens_a, weights_a = cli_maps("minilm-l6", TEXT_A)
    tokens_b, weights_b = cli_maps("minilm-l6", TEXT_B)
    assert tokens_of(side_a["x"]) == tokens_a and tokens_of(side_b["x"]) == tokens_b
    np.testing.assert_array_equal(np.array(side_a["z"], dtype=np.float32), weights_a[1, 4])
    np.testing.assert_array_equal(np.array(side_b["z"], dtype=np.float32), weights_b[3, 9])
    assert "layer 1 · head 4" in side_a["title"] and "layer 3 · head 9" in side_b["title"]
    # Different sentences do not line up: the page says so instead of a difference map.
    assert page.get_by_text("No difference map").count() == 1

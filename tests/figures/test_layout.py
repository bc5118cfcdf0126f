"""Room for titles: wrapped lines, and a top margin that holds toolbar, title and top labels."""

from __future__ import annotations

import numpy as np

from attnviz.figures import head_heatmap
from attnviz.figures.layout import TOOLBAR_BAND, fit_title, wrap_title


def test_titles_wrap_between_parts_then_between_words():
    assert wrap_title("minilm-l6 · encoder_self · layer 2 · head 3", 30) == (
        "minilm-l6 · encoder_self<br>layer 2 · head 3"
    )
    assert wrap_title("3 · weighted encoder states α·h and their sum", 34) == (
        "3 · weighted encoder states α·h<br>and their sum"
    )
    assert wrap_title("short", 30) == "short"


def test_the_top_margin_grows_with_longer_top_labels_and_more_title_lines():
    weights = np.full((2, 2), 0.5, dtype=np.float32)
    short = head_heatmap(weights, ["a", "b"], ["a", "b"], "t")
    long = head_heatmap(weights, ["a", "b"], ["a", "extraordinarily"], "t")
    assert long.layout.margin.t > short.layout.margin.t > TOOLBAR_BAND
    wrapped = fit_title(head_heatmap(weights, ["a", "b"], ["a", "b"], "word " * 20), 20)
    assert wrapped.layout.title.text.count("<br>") >= 4
    assert wrapped.layout.margin.t > short.layout.margin.t + 4 * 17
    # the plot keeps its size: the figure grew by what was added above it
    assert (
        wrapped.layout.height - wrapped.layout.margin.t
        >= short.layout.height - short.layout.margin.t - 1
    )

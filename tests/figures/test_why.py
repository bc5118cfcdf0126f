"""The figures of the why-attention lessons: one line per model, escaped labels, a log axis."""

from __future__ import annotations

import numpy as np
import pytest

from attnviz.analysis.gradients import SourceGradients
from attnviz.figures.why import gradient_figure, quality_by_length_figure

RESULT = {
    "buckets": [
        {"words": "1-9", "low": 1, "high": 9, "sentences": 20},
        {"words": "10-19", "low": 10, "high": 19, "sentences": 25},
    ],
    "chrf": {"rnnenc-en-es": [60.0, 40.0], "bahdanau-en-es": [65.0, 60.0], "<b>x</b>": [1.0, 2.0]},
}


def test_quality_by_length_draws_one_line_per_model() -> None:
    figure = quality_by_length_figure(RESULT)
    assert len(figure.data) == 3
    assert list(figure.data[0].y) == [60.0, 40.0] and "20 sentences" in figure.data[0].x[0]
    assert "no attention" in figure.data[0].name
    assert "<b>" not in figure.data[2].name  # an unknown name is escaped


def gradients(model: str, tokens: tuple[str, ...], norms: list[float]) -> SourceGradients:
    return SourceGradients(model, tokens, ("<i>El</i>", "[EOS]"), 0, np.array(norms))


def test_the_gradient_figure_has_a_log_axis_and_shares_that_sum_to_one() -> None:
    tokens = ("The", "<b>", "[EOS]")
    figure = gradient_figure(
        [
            gradients("rnnenc-en-es", tokens, [2.0, 1.0, 1.0]),
            gradients("bahdanau-en-es", tokens, [1, 1, 2]),
        ]
    )
    assert figure.layout.yaxis.type == "log" and len(figure.data) == 2
    np.testing.assert_allclose(figure.data[0].y, [0.5, 0.25, 0.25])
    assert "&lt;b&gt;" in figure.layout.xaxis.ticktext and "<i>" not in figure.data[0].name
    raw = gradient_figure([gradients("rnnenc-en-es", tokens, [2.0, 1.0, 1.0])], share=False)
    np.testing.assert_allclose(raw.data[0].y, [2.0, 1.0, 1.0])


def test_the_gradient_figure_refuses_nothing_or_different_tokens() -> None:
    with pytest.raises(ValueError, match="at least one"):
        gradient_figure([])
    with pytest.raises(ValueError, match="different tokens"):
        gradient_figure(
            [gradients("a", ("x", "[EOS]"), [1, 1]), gradients("b", ("y", "[EOS]"), [1, 1])]
        )

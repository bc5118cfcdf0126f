"""Temperature and top-k on a view's candidates equal the models' own sampler."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from attnviz.analysis.next_token import draw, reshaped
from attnviz.models.sampling import check_settings, reshape, sample_ids

LOGITS = np.array([2.0, 1.0, 0.5, -1.0, 3.0])


@pytest.mark.parametrize(("temperature", "top_k"), [(1.0, 0), (0.5, 0), (2.0, 2), (0.8, 4)])
def test_the_view_reshapes_as_the_sampler_does(temperature, top_k):
    probabilities, excluded = reshaped(LOGITS, temperature, top_k)
    expected = reshape(torch.tensor(LOGITS), temperature, top_k).numpy()
    np.testing.assert_allclose(probabilities, expected, rtol=1e-12)
    assert excluded.sum() == (len(LOGITS) - top_k if top_k else 0)
    assert probabilities[excluded].sum() == 0 and abs(probabilities.sum() - 1) < 1e-12


def test_temperature_is_the_softmax_of_scaled_logits():
    probabilities, _ = reshaped(LOGITS, 0.5, 0)
    exp = np.exp(LOGITS / 0.5)
    np.testing.assert_allclose(probabilities, exp / exp.sum())


def test_temperature_zero_is_all_on_the_largest():
    probabilities, _ = reshaped(LOGITS, 0.0, 0)
    assert probabilities.tolist() == [0, 0, 0, 0, 1]


def test_draws_are_seeded_and_follow_the_distribution():
    probabilities, _ = reshaped(LOGITS, 1.0, 0)
    assert draw(probabilities, 3, 10) == draw(probabilities, 3, 10)
    counts = np.bincount([draw(probabilities, seed, 0) for seed in range(3000)], minlength=5)
    np.testing.assert_allclose(counts / 3000, probabilities, atol=0.03)


def test_sample_ids_stops_after_the_stop_token():
    def always_two(ids):
        return torch.tensor([0.0, 0.0, 50.0])

    settings = check_settings(5, 1.0, 0, 0)
    assert sample_ids(always_two, [1], settings, stop_id=2) == [2]
    assert sample_ids(always_two, [1], settings) == [2] * 5

"""The basic lessons' numbers: known values and invariants."""

from __future__ import annotations

import numpy as np
import pytest

from attnviz.analysis import basics


@pytest.mark.parametrize("name", list(basics.ACTIVATIONS))
def test_derivatives_match_finite_differences(name: str) -> None:
    x = np.linspace(-5, 5, 101) + 0.013  # off the kink of the ReLUs
    values, derivative = basics.activation_curves(name, x)
    step = 1e-5
    above, _ = basics.activation_curves(name, x + step)
    below, _ = basics.activation_curves(name, x - step)
    np.testing.assert_allclose(derivative, (above - below) / (2 * step), atol=1e-6)
    assert values.shape == x.shape


def test_sigmoid_saturates_and_its_slope_is_at_most_a_quarter() -> None:
    _, slope = basics.activation_curves("sigmoid", np.linspace(-10, 10, 2001))
    assert slope.max() == pytest.approx(0.25) and slope[0] < 1e-4
    _, relu_slope = basics.activation_curves("ReLU", np.array([-3.0, 2.0, 50.0]))
    assert relu_slope.tolist() == [0.0, 1.0, 1.0]
    with pytest.raises(ValueError, match="allowed: sigmoid"):
        basics.activation_curves("swish", np.zeros(1))


def test_softmax_sums_to_one_and_temperature_moves_it_between_argmax_and_uniform() -> None:
    scores = np.array([0.5, 3.0, 1.0, -0.5])
    for temperature in (0.05, 1.0, 50.0):
        assert basics.softmax(scores, temperature).sum() == pytest.approx(1.0)
    assert basics.softmax(scores, 0.01).argmax() == 1 and basics.softmax(scores, 0.01)[1] > 0.999
    np.testing.assert_allclose(basics.softmax(scores, 1e4), 0.25, atol=1e-3)
    np.testing.assert_allclose(basics.softmax(scores + 1000.0), basics.softmax(scores))
    with pytest.raises(ValueError, match="temperature"):
        basics.softmax(scores, 0.0)


def test_dropout_scales_the_kept_units_and_keeps_the_mean_on_average() -> None:
    activations = np.ones(10_000)
    out, kept = basics.dropout(activations, 0.3, seed=1)
    np.testing.assert_allclose(np.unique(out), [0.0, 1 / 0.7])
    assert (out[~kept] == 0).all() and kept.mean() == pytest.approx(0.7, abs=0.02)
    assert out.mean() == pytest.approx(1.0, abs=0.03)
    np.testing.assert_array_equal(basics.dropout(activations, 0.0)[0], activations)
    with pytest.raises(ValueError, match="rate"):
        basics.dropout(activations, 1.0)


def test_optimizers_reach_the_minimum_and_sgd_diverges_past_its_stable_step() -> None:
    settings = basics.OptimizerSettings(learning_rate=0.1)
    start = (-9.0, 1.5)
    for method in basics.OPTIMIZERS:
        path = basics.optimizer_path(method, start, 300, settings)
        assert path.shape == (301, 2) and tuple(path[0]) == start
        assert basics.loss_surface(path[-1]) < 0.05 * basics.loss_surface(path[0]), method
    # across the valley the curvature is 5: SGD is stable only for learning rates below 2/5
    unstable = basics.optimizer_path("SGD", start, 50, basics.OptimizerSettings(0.45))
    assert abs(unstable[-1, 1]) > abs(unstable[0, 1])
    # Adam's first step moves each coordinate by the learning rate, whatever the gradient
    adam = basics.optimizer_path("Adam", start, 1, settings)
    np.testing.assert_allclose(np.abs(adam[1] - adam[0]), 0.1, rtol=1e-6)
    with pytest.raises(ValueError, match="allowed: SGD"):
        basics.optimizer_path("rmsprop", start, 5, settings)

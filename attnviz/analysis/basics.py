"""The numbers behind the basic lessons: activations, softmax with a temperature, dropout and
three optimizers on one loss surface. Pure numpy, so every figure is computed live from them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

Activation = Callable[[np.ndarray], np.ndarray]
LEAKY_SLOPE = 0.1  # Leaky ReLU's slope for negative inputs (Maas et al. 2013 used 0.01)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# name -> (function, derivative)
ACTIVATIONS: dict[str, tuple[Activation, Activation]] = {
    "sigmoid": (_sigmoid, lambda x: _sigmoid(x) * (1.0 - _sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1.0 - np.tanh(x) ** 2),
    "ReLU": (lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(float)),
    "Leaky ReLU": (
        lambda x: np.where(x > 0, x, LEAKY_SLOPE * x),
        lambda x: np.where(x > 0, 1.0, LEAKY_SLOPE),
    ),
}


def activation_curves(name: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An activation and its derivative at `x`; ValueError names the known activations."""
    if name not in ACTIVATIONS:
        raise ValueError(f"Unknown activation {name!r}; allowed: {', '.join(ACTIVATIONS)}.")
    function, derivative = ACTIVATIONS[name]
    return function(x), derivative(x)


def softmax(scores: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """softmax(scores / T) over the last axis, computed stably (the maximum subtracted first).

    T > 1 flattens the weights towards uniform, T < 1 sharpens them towards the largest score.
    """
    if not temperature > 0:
        raise ValueError(f"The temperature must be > 0, got {temperature}.")
    scaled = np.asarray(scores, dtype=float) / temperature
    exponentials = np.exp(scaled - scaled.max(axis=-1, keepdims=True))
    return exponentials / exponentials.sum(axis=-1, keepdims=True)


def dropout(activations: np.ndarray, rate: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inverted dropout as in training: each unit is zeroed with probability `rate`, and the
    kept ones are scaled by 1 / (1 - rate) so the expected activation is unchanged
    (Srivastava et al. 2014). Returns the output and the mask of kept units."""
    if not 0 <= rate < 1:
        raise ValueError(f"The dropout rate must be in [0, 1), got {rate}.")
    kept = np.random.default_rng(seed).random(np.shape(activations)) >= rate
    return np.where(kept, np.asarray(activations, dtype=float) / (1.0 - rate), 0.0), kept


# ---- optimizers on a 2-D loss surface --------------------------------------------------------


def loss_surface(w: np.ndarray) -> np.ndarray:
    """A long, narrow valley: L(w1, w2) = 0.5 * (w1^2 / 10 + 5 w2^2), minimum at (0, 0).

    w: `[..., 2]`. Steep across the valley and flat along it, the shape on which plain
    gradient descent zigzags and momentum and Adam pay off.
    """
    w = np.asarray(w, dtype=float)
    return 0.5 * (w[..., 0] ** 2 / 10.0 + 5.0 * w[..., 1] ** 2)


def loss_gradient(w: np.ndarray) -> np.ndarray:
    """dL/dw of `loss_surface`, `[..., 2]`."""
    w = np.asarray(w, dtype=float)
    return np.stack([w[..., 0] / 10.0, 5.0 * w[..., 1]], axis=-1)


@dataclasses.dataclass(frozen=True)
class OptimizerSettings:
    """One learning rate for all three, and each method's own constants (the usual defaults)."""

    learning_rate: float = 0.1
    momentum: float = 0.9  # SGD with momentum (Polyak 1964; Sutskever et al. 2013)
    beta1: float = 0.9  # Adam (Kingma and Ba 2015)
    beta2: float = 0.999
    epsilon: float = 1e-8


def optimizer_path(
    method: str, start: tuple[float, float], steps: int, settings: OptimizerSettings
) -> np.ndarray:
    """The points `[steps + 1, 2]` that `method` ("SGD", "momentum", "Adam") visits from
    `start` on `loss_surface`, one update per step."""
    if method not in OPTIMIZERS:
        raise ValueError(f"Unknown optimizer {method!r}; allowed: {', '.join(OPTIMIZERS)}.")
    if steps < 0 or settings.learning_rate <= 0:
        raise ValueError("steps must be >= 0 and the learning rate > 0.")
    w = np.array(start, dtype=float)
    velocity = np.zeros(2)  # momentum's running update; Adam's first moment
    second = np.zeros(2)  # Adam's second moment
    path = [w.copy()]
    for step in range(1, steps + 1):
        gradient = loss_gradient(w)
        if method == "SGD":
            w = w - settings.learning_rate * gradient
        elif method == "momentum":
            velocity = settings.momentum * velocity - settings.learning_rate * gradient
            w = w + velocity
        else:
            velocity = settings.beta1 * velocity + (1 - settings.beta1) * gradient
            second = settings.beta2 * second + (1 - settings.beta2) * gradient**2
            corrected = velocity / (1 - settings.beta1**step)
            scale = np.sqrt(second / (1 - settings.beta2**step)) + settings.epsilon
            w = w - settings.learning_rate * corrected / scale
        path.append(w.copy())
    return np.array(path)


OPTIMIZERS = ("SGD", "momentum", "Adam")

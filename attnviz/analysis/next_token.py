"""A next-token distribution reshaped by temperature and top-k, and a seeded draw from it.

The same arithmetic as `attnviz.models.sampling.reshape`, in numpy, on the candidates a Run
keeps for its last position (`extras["last_logits"]`), so a view redraws without the model.
"""

from __future__ import annotations

import numpy as np


def reshaped(logits: np.ndarray, temperature: float, top_k: int) -> tuple[np.ndarray, np.ndarray]:
    """Probabilities `[candidate]` at `temperature` among the `top_k` largest logits (0: all),
    and which candidates top-k leaves out, bool `[candidate]`. Temperature 0 is greedy: all
    the probability on the largest logit.

    Softmax with temperature: p_i = exp(z_i / T) / sum_j exp(z_j / T) over the kept tokens.
    """
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 1 or logits.size == 0:
        raise ValueError(f"Logits must be one non-empty row, got shape {logits.shape}.")
    if temperature < 0:
        raise ValueError(f"The temperature must be 0 or more, got {temperature}.")
    excluded = np.zeros(logits.size, dtype=bool)
    if 0 < top_k < logits.size:
        order = np.argsort(-logits, kind="stable")
        excluded[order[top_k:]] = True
    if temperature == 0:
        probabilities = np.zeros(logits.size)
        probabilities[int(np.argmax(logits))] = 1.0
        return probabilities, excluded
    scaled = np.where(excluded, -np.inf, logits / temperature)
    exp = np.exp(scaled - scaled.max())
    return exp / exp.sum(), excluded


def draw(probabilities: np.ndarray, seed: int, position: int) -> int:
    """The index drawn from `probabilities` by seed `seed` at `position`: the same seed and
    text give the same token."""
    generator = np.random.default_rng([int(seed), int(position)])
    probabilities = np.asarray(probabilities, dtype=np.float64)
    return int(generator.choice(probabilities.size, p=probabilities / probabilities.sum()))

"""Induction and previous-token scores of every head (Olsson et al. 2022).

An **induction head** completes patterns: at a token that occurred before, it attends to the
token that *followed* the earlier occurrence ([A][B] ... [A] -> look at [B]), so the model can
predict [B] again. It needs a **previous-token head** in an earlier layer, one that attends to
the token just before, to mark each token with what preceded it (Olsson et al. 2022,
*In-context Learning and Induction Heads*; Elhage et al. 2021). On a random sequence of words
written twice, the second copy is predictable only this way, and an induction head draws a
stripe parallel to the diagonal, one copy's length to its left.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence

import numpy as np


def induction_targets(tokens: Sequence[str]) -> dict[int, int]:
    """For each position whose token occurred before, the position just after its latest
    earlier occurrence: query -> key. Positions whose target would be themselves (a token
    repeated twice in a row) are left out."""
    last_seen: dict[str, int] = {}
    targets: dict[int, int] = {}
    for position, token in enumerate(tokens):
        earlier = last_seen.get(token)
        if earlier is not None and earlier + 1 < position:
            targets[position] = earlier + 1
        last_seen[token] = position
    return targets


def induction_scores(weights: np.ndarray, tokens: Sequence[str]) -> np.ndarray:
    """Mean attention from each repeated token to the token after its earlier occurrence.

    weights: `[layer, head, query, key]` self-attention over `tokens`. Returns `[layer, head]`
    in 0..1 (0 when no token repeats).
    """
    targets = induction_targets(tokens)
    if not targets:
        return np.zeros(weights.shape[:2], dtype=np.float32)
    queries = np.fromiter(targets.keys(), dtype=int)
    keys = np.fromiter(targets.values(), dtype=int)
    return weights[:, :, queries, keys].mean(axis=-1).astype(np.float32)  # [layer, head]


def previous_token_scores(weights: np.ndarray) -> np.ndarray:
    """Mean attention from each position to the one just before it, `[layer, head]`.

    weights: `[layer, head, query, key]`, self-attention with at least two positions.
    """
    n = weights.shape[2]
    if n < 2:
        return np.zeros(weights.shape[:2], dtype=np.float32)
    queries = np.arange(1, n)
    return weights[:, :, queries, queries - 1].mean(axis=-1).astype(np.float32)


EVALUATION_WORDS = 40  # words in one copy of the sequences a model is scored on


def mean_scores(
    attention: Callable[[str], tuple[np.ndarray, Sequence[str]]],
    seeds: Iterable[int],
    n_words: int = EVALUATION_WORDS,
) -> tuple[np.ndarray, np.ndarray]:
    """Induction and previous-token scores `[layer, head]` (float64), averaged over one random
    sequence of `n_words` lesson words written twice per seed; `attention(text)` gives a
    model's self-attention `[layer, head, query, key]` over `text` and its tokens."""
    induction, previous = [], []
    for seed in seeds:
        weights, tokens = attention(repeated_random_words(LESSON_WORDS, n_words, seed))
        induction.append(induction_scores(weights, tokens))
        previous.append(previous_token_scores(weights))
    return (
        np.mean(induction, axis=0, dtype=np.float64),
        np.mean(previous, axis=0, dtype=np.float64),
    )


def repeated_random_words(words: Sequence[str], n_words: int, seed: int) -> str:
    """`n_words` distinct words drawn from `words` with `seed`, written twice, as one text."""
    pool = sorted(set(words))
    if not 2 <= n_words <= len(pool):
        raise ValueError(
            f"The sequence must have from 2 to {len(pool)} distinct words, got {n_words}."
        )
    chosen = random.Random(seed).sample(pool, n_words)
    return " ".join(chosen + chosen)


# Plain English nouns, verbs and adjectives for the lesson's random sequences: common enough
# that most models have them as single tokens, unrelated enough that no sequence makes sense.
LESSON_WORDS = (
    "apple", "river", "letter", "window", "garden", "silver", "morning", "horse", "music",
    "paper", "summer", "bread", "candle", "forest", "island", "winter", "mirror", "pocket",
    "basket", "bridge", "carpet", "cottage", "dinner", "engine", "feather", "flower",
    "hammer", "jacket", "kitten", "ladder", "market", "needle", "orange", "pencil", "rabbit",
    "saddle", "ticket", "valley", "wagon", "yellow", "honest", "gentle", "quiet", "bright",
    "narrow", "simple", "tender", "happy", "early", "green", "heavy", "little", "proud",
    "sudden", "walk", "sing", "carry", "follow", "answer", "travel", "listen", "wonder",
    "laugh", "promise", "remember", "return", "study", "visit", "water", "stone", "cloud",
    "chair", "table", "glass", "road", "ship", "coat", "door", "field", "hill", "lake",
)  # fmt: skip

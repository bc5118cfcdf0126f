"""Per-head statistics (entropy, distance, where attention goes) and head roles.

Statistics after Clark, Khandelwal, Levy and Manning (2019), "What Does BERT Look At? An Analysis
of BERT's Attention": each is a `[layer, head]` array, averaged over the query rows that see at
least one key (fully masked rows are left out of every mean).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from attnviz.analysis.tokens import end_token_mask, punctuation_mask, start_token_mask

STATISTICS: dict[str, str] = {
    "entropy": "entropy of a row in nats, mean over queries: 0 = one key, log(keys) = uniform",
    "normalised_entropy": "entropy / log(number of keys): 0 = one key, 1 = uniform",
    "distance": "mean distance |query − key| in token positions, weighted by attention",
    "first": "share of attention to the first key ([CLS] for BERT)",
    "last": "share of attention to the last key",
    "sep": "share of attention to [SEP], </s> or another end token",
    "cls": "share of attention to [CLS], <s> or another start token",
    "self": "share of attention to the query's own position (self-attention only)",
    "previous": "share of attention to the previous token",
    "next": "share of attention to the next token",
    "punctuation": "share of attention to punctuation tokens",
}

# role -> (statistic, threshold, rule); a head has the role when statistic > threshold.
ROLE_THRESHOLDS: dict[str, tuple[str, float, str]] = {
    "previous token": (
        "previous",
        0.5,
        "more than half of its attention goes to the previous token",
    ),
    "next token": ("next", 0.5, "more than half of its attention goes to the next token"),
    "attends to [SEP]": (
        "sep",
        0.5,
        "more than half of its attention goes to [SEP] (or </s>, another end token)",
    ),
    "attends to [CLS]": (
        "cls",
        0.5,
        "more than half of its attention goes to [CLS] (or <s>, another start token)",
    ),
    "self": ("self", 0.5, "more than half of its attention goes to the query token itself"),
    "broad attention": (
        "normalised_entropy",
        0.8,
        "its normalised entropy is above 0.8: attention is spread almost evenly over the keys",
    ),
}


def _check_inputs(
    weights: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    visible: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray]:
    """Validated float32 weights `[layer, head, query, key]` and bool visible `[query, key]`."""
    weights = np.asarray(weights, dtype=np.float32)
    if weights.ndim != 4:
        raise ValueError(f"Weights must be 4-D [layer, head, query, key], got {weights.shape}.")
    n_query, n_key = weights.shape[2:]
    if (n_query, n_key) != (len(query_tokens), len(key_tokens)):
        raise ValueError(
            f"Weights of shape {weights.shape} do not match {len(query_tokens)} query and "
            f"{len(key_tokens)} key tokens."
        )
    if visible is None:
        return weights, np.ones((n_query, n_key), dtype=bool)
    visible = np.asarray(visible, dtype=bool)
    if visible.shape != (n_query, n_key):
        raise ValueError(
            f"Mask of shape {visible.shape} must be [query, key] = {(n_query, n_key)}."
        )
    return weights, visible


def _row_mean(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Mean of `values` `[layer, head, query]` over the query rows where `rows` is True.

    -> `[layer, head]` float32; NaN where no row counts.
    """
    count = int(rows.sum())
    if count == 0:
        return np.full(values.shape[:2], np.nan, dtype=np.float32)
    return (values[..., rows].sum(axis=-1) / count).astype(np.float32)


def _diagonal_share(weights: np.ndarray, offset: int, rows: np.ndarray) -> np.ndarray:
    """Mean share of attention to key = query + offset, over rows where that key exists.

    weights: `[layer, head, query, key]` -> `[layer, head]`.
    """
    n_query, n_key = weights.shape[2:]
    query = np.arange(n_query)
    key = query + offset
    exists = rows & (key >= 0) & (key < n_key)  # [query]
    share = np.zeros(weights.shape[:3], dtype=np.float32)  # [layer, head, query]
    share[..., exists] = weights[..., query[exists], key[exists]]
    return _row_mean(share, exists)


def _entropies(
    weights: np.ndarray, visible: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mean row entropy (nats) and mean normalised row entropy, each `[layer, head]`."""
    logs = np.log(np.where(weights > 0, weights, np.float32(1)))  # 0 log 0 = 0
    entropy = -(weights * logs).sum(axis=-1)  # [layer, head, query]
    n_visible = visible.sum(axis=-1)  # [query]
    # A row with a single visible key has no choice to make: its normalised entropy is 0.
    scale = np.where(n_visible > 1, 1 / np.log(np.maximum(n_visible, 2)), 0).astype(np.float32)
    return _row_mean(entropy, rows), _row_mean(entropy * scale, rows)


def _column_share(weights: np.ndarray, columns: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Mean share of attention to the key columns where `columns` is True: `[layer, head]`."""
    if not columns.any():
        return np.zeros(weights.shape[:2], dtype=np.float32)
    return _row_mean(weights[..., columns].sum(axis=-1), rows)


def head_statistics(
    weights: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    visible: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Every statistic in STATISTICS for every head, in that order, each `[layer, head]` float32.

    weights: `[layer, head, query, key]`; visible: bool `[query, key]` or None (all visible).
    Means run over query rows with at least one visible key. Positions are indices, so for cross
    attention (different query and key sequences) "distance", "previous" and "next" still compare
    query index i with key index j; "self" is NaN there, and "previous"/"next" are NaN when no
    query has such a key (a single token). After Clark et al. (2019), sections 3 and 4.
    """
    weights, visible = _check_inputs(weights, query_tokens, key_tokens, visible)
    n_query, n_key = weights.shape[2:]
    rows = visible.any(axis=-1)  # [query]
    entropy, normalised = _entropies(weights, visible, rows)
    offsets = np.abs(np.arange(n_query)[:, None] - np.arange(n_key)[None, :])  # [query, key]
    distance = (weights * offsets.astype(np.float32)).sum(axis=-1)  # [layer, head, query]
    first, last = np.zeros(n_key, dtype=bool), np.zeros(n_key, dtype=bool)
    first[:1], last[-1:] = True, True
    if tuple(query_tokens) == tuple(key_tokens):
        self_share = _diagonal_share(weights, 0, rows)
    else:
        self_share = np.full(weights.shape[:2], np.nan, dtype=np.float32)
    statistics = {
        "entropy": entropy,
        "normalised_entropy": normalised,
        "distance": _row_mean(distance, rows),
        "first": _column_share(weights, first, rows),
        "last": _column_share(weights, last, rows),
        "sep": _column_share(weights, end_token_mask(key_tokens), rows),
        "cls": _column_share(weights, start_token_mask(key_tokens), rows),
        "self": self_share,
        "previous": _diagonal_share(weights, -1, rows),
        "next": _diagonal_share(weights, 1, rows),
        "punctuation": _column_share(weights, punctuation_mask(key_tokens), rows),
    }
    assert list(statistics) == list(STATISTICS)
    return statistics


def head_roles(statistics: dict[str, np.ndarray]) -> list[list[tuple[str, ...]]]:
    """The roles (keys of ROLE_THRESHOLDS, in that order) of each head: `[layer][head]`.

    statistics: as returned by `head_statistics`, each `[layer, head]`. A head has a role when its
    statistic is above the threshold; NaN never is. Roles after Clark et al. (2019), section 3.
    """
    missing = [name for name, _, _ in ROLE_THRESHOLDS.values() if name not in statistics]
    if missing:
        raise ValueError(f"Statistics lack {', '.join(missing)}; pass head_statistics(...).")
    has_role = {
        role: np.asarray(statistics[name]) > threshold  # [layer, head], NaN -> False
        for role, (name, threshold, _) in ROLE_THRESHOLDS.items()
    }
    n_layers, n_heads = next(iter(has_role.values())).shape
    return [
        [
            tuple(role for role, applies in has_role.items() if applies[layer, head])
            for head in range(n_heads)
        ]
        for layer in range(n_layers)
    ]

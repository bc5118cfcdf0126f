"""How alike two heads are: Jensen-Shannon distance between their attention rows.

The Jensen-Shannon divergence of two distributions p and q is the mean of KL(p || m) and
KL(q || m) with m = (p + q) / 2 (Lin 1991); with base-2 logarithms it lies in [0, 1], and its
square root, the Jensen-Shannon distance, is a metric (Endres and Schindelin 2003). Two heads
are compared row by row (each query's distribution over keys) and the distances averaged.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import squareform

# Pairs of heads compared at once: bounds the [chunk, head, query, key] temporary array.
_CHUNK_CELLS = 8_000_000


def _plogp(p: np.ndarray) -> np.ndarray:
    """p log2 p with 0 log 0 = 0, elementwise, float32."""
    return p * np.log2(np.where(p > 0, p, 1.0), dtype=np.float32)


def js_distance_matrix(heads: np.ndarray) -> np.ndarray:
    """Mean over query rows of the Jensen-Shannon distance between every pair of heads.

    heads: `[head, query, key]` rows summing to 1 (all heads of a model flattened, e.g.
    `weights.reshape(-1, query, key)`). Returns float32 `[head, head]`, symmetric, 0 on the
    diagonal. Uses JSD(p, q) = H(m) - (H(p) + H(q)) / 2 with m = (p + q) / 2, in bits.
    """
    if heads.ndim != 3:
        raise ValueError(f"Expected [head, query, key] weights, got shape {heads.shape}.")
    p = np.asarray(heads, dtype=np.float32)
    n, n_query, n_key = p.shape
    negative_entropy = _plogp(p).sum(axis=-1)  # [head, query]: sum p log2 p = -H(p)
    chunk = max(1, _CHUNK_CELLS // max(1, n * n_query * n_key))
    result = np.empty((n, n), dtype=np.float32)
    for start in range(0, n, chunk):
        m = (p[start : start + chunk, None] + p[None]) / 2  # [chunk, head, query, key]
        divergence = (negative_entropy[start : start + chunk, None] + negative_entropy[None]) / 2
        divergence -= _plogp(m).sum(axis=-1)  # H(m) - (H(p) + H(q)) / 2, [chunk, head, query]
        result[start : start + chunk] = np.sqrt(np.clip(divergence, 0, 1)).mean(axis=-1)
    result = (result + result.T) / 2  # exact symmetry despite rounding
    np.fill_diagonal(result, 0.0)
    return result


def cluster_order(distances: np.ndarray) -> list[int]:
    """Head order from average-linkage hierarchical clustering, so similar heads sit together."""
    if len(distances) < 3:
        return list(range(len(distances)))
    condensed = squareform(np.asarray(distances, dtype=np.float64), checks=False)
    return [int(i) for i in leaves_list(linkage(condensed, method="average"))]


def tokens_line_up(
    a_query: Sequence[str], a_key: Sequence[str], b_query: Sequence[str], b_key: Sequence[str]
) -> str | None:
    """None when two maps have the same tokens in the same order, else the reason they differ."""
    if tuple(a_query) == tuple(b_query) and tuple(a_key) == tuple(b_key):
        return None
    if len(a_query) != len(b_query) or len(a_key) != len(b_key):
        return (
            f"the two sides have different numbers of tokens ({len(a_query)} x {len(a_key)} "
            f"against {len(b_query)} x {len(b_key)})"
        )
    first = next(
        i
        for i, (x, y) in enumerate(zip((*a_query, *a_key), (*b_query, *b_key), strict=True))
        if x != y
    )
    tokens_a, tokens_b = (*a_query, *a_key), (*b_query, *b_key)
    return f"the tokens differ (“{tokens_a[first]}” against “{tokens_b[first]}”)"

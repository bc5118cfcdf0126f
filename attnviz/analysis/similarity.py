"""How alike two heads are: Jensen-Shannon distance between their attention rows.

The Jensen-Shannon divergence of two distributions p and q is the mean of KL(p || m) and
KL(q || m) with m = (p + q) / 2 (Lin 1991); with base-2 logarithms it lies in [0, 1], and its
square root, the Jensen-Shannon distance, is a metric (Endres and Schindelin 2003). Two heads
are compared row by row (each query's distribution over keys) and the distances averaged.

Two maps are compared cell by cell only when their tokens line up; `word_level` reduces a map
to the words of its text, so two tokenizations of the same text line up word by word.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.cluster.hierarchy import leaves_list, linkage
from scipy.spatial.distance import squareform

from attnviz.analysis.tokens import hide_special_tokens, merge_word_pieces

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
    return _first_mismatch((*a_query,), (*a_key,), (*b_query,), (*b_key,), lambda token: token)


def words_line_up(
    a_query: Sequence[str], a_key: Sequence[str], b_query: Sequence[str], b_key: Sequence[str]
) -> str | None:
    """As `tokens_line_up` for two maps of words (see `word_level`), with case ignored.

    An uncased tokenizer lowercases the text ("the" for "The"); that is still the same word.
    """
    return _first_mismatch((*a_query,), (*a_key,), (*b_query,), (*b_key,), str.casefold)


def _first_mismatch(
    a_query: tuple[str, ...],
    a_key: tuple[str, ...],
    b_query: tuple[str, ...],
    b_key: tuple[str, ...],
    normal: Callable[[str], str],
) -> str | None:
    """None when the axes match token for token after `normal`, else the first difference."""
    if len(a_query) != len(b_query) or len(a_key) != len(b_key):
        return (
            f"the two sides have different numbers of tokens ({len(a_query)} x {len(a_key)} "
            f"against {len(b_query)} x {len(b_key)})"
        )
    tokens_a, tokens_b = (*a_query, *a_key), (*b_query, *b_key)
    for x, y in zip(tokens_a, tokens_b, strict=True):
        if normal(x) != normal(y):
            return f"the tokens differ (“{x}” against “{y}”)"
    return None


def word_level(
    weights: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    visible: np.ndarray | None = None,
) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...], np.ndarray | None]:
    """A map of the text's words only: what two tokenizers of one text have in common.

    weights: `[..., query, key]` -> `[..., query word, key word]` float32. Special tokens are
    dropped first, on both axes, and each row renormalised to sum to 1 over the words that are
    left (`hide_special_tokens`: [CLS] ... [SEP] and ... [EOS] both become ...); then word
    pieces are merged, key pieces summed and query pieces averaged (`merge_word_pieces`:
    "river ##bank" and "▁riverbank" both become "riverbank"). visible: bool `[query, key]` or
    None, reduced the same way.
    """
    weights, query, key, visible = hide_special_tokens(weights, query_tokens, key_tokens, visible)
    return merge_word_pieces(weights, query, key, visible)

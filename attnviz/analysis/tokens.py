"""Token-level views of attention: which tokens are special, hiding them, merging word pieces.

All functions take weights `[..., query, key]` (any leading dimensions, usually
`[layer, head, query, key]`) with the tokens of both axes, and return new float32 arrays.

Special tokens: `[CLS]`, `[SEP]`, `[PAD]`, `[MASK]`, `[BOS]`, `[EOS]` and any token of the form
`[UPPER_CASE]`; `<s>`, `</s>`, `<pad>`, `<mask>`, `<|endoftext|>`, `<extra_id_0>` and any token
of the form `<...>` with no space or further `<`/`>` inside. Unknown-word tokens (`[UNK]`,
`<unk>`) and SentencePiece byte tokens (`<0x0A>`) are *not* special: each stands for text of the
input, and hiding it would drop that text.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence

import numpy as np

WORD_PIECE_CONTINUATION = "##"  # BERT WordPiece: "##bank" continues the previous piece
BYTE_LEVEL_SPACE = "Ġ"  # GPT-2 / RoBERTa byte-level BPE: "Ġbank" follows a space
SENTENCE_PIECE_SPACE = "▁"  # SentencePiece (T5, Marian, ...): "▁bank" follows a space
WORD_MARKERS = (WORD_PIECE_CONTINUATION, BYTE_LEVEL_SPACE, SENTENCE_PIECE_SPACE)

UNKNOWN_TOKENS = frozenset({"[UNK]", "<unk>", "<UNK>", "<|unk|>"})
# Tokens that close a segment or a sequence ("sep" in the statistics).
END_TOKENS = frozenset(
    {"[SEP]", "[EOS]", "</s>", "<eos>", "<|endoftext|>", "<|end_of_text|>", "<|eot_id|>"}
)
# Tokens that open a sequence ("cls" in the statistics).
START_TOKENS = frozenset(
    {"[CLS]", "[BOS]", "<s>", "<bos>", "<cls>", "<|startoftext|>", "<|begin_of_text|>"}
)
_BRACKETED_UPPER = re.compile(r"\[[A-Z][A-Z0-9_]*\]")
_ANGLE_BRACKETED = re.compile(r"<[^<>\s]+>")
# SentencePiece's stand-in for a raw byte, such as <0x0A> for a newline: text, not special.
_BYTE_FALLBACK = re.compile(r"<0x[0-9A-Fa-f]{2}>")


def special_token_mask(tokens: Sequence[str]) -> np.ndarray:
    """True for special tokens ([CLS], </s>, <|endoftext|> ...; see the module docstring).

    tokens: `[token]` -> bool `[token]`.
    """
    return np.array([_is_special(token) for token in tokens], dtype=bool).reshape(len(tokens))


def _is_special(token: str) -> bool:
    if token in UNKNOWN_TOKENS or _BYTE_FALLBACK.fullmatch(token):
        return False
    return bool(_BRACKETED_UPPER.fullmatch(token) or _ANGLE_BRACKETED.fullmatch(token))


def end_token_mask(tokens: Sequence[str]) -> np.ndarray:
    """True for [SEP], [EOS], </s>, <eos>, <|endoftext|> and the like: bool `[token]`."""
    return np.array([token in END_TOKENS for token in tokens], dtype=bool).reshape(len(tokens))


def start_token_mask(tokens: Sequence[str]) -> np.ndarray:
    """True for [CLS], [BOS], <s>, <bos> and the like: bool `[token]`."""
    return np.array([token in START_TOKENS for token in tokens], dtype=bool).reshape(len(tokens))


def strip_word_markers(token: str) -> str:
    """The token's text without a leading ##, Ġ or ▁ word-piece marker."""
    for marker in WORD_MARKERS:
        if token.startswith(marker):
            return token[len(marker) :]
    return token


def is_punctuation(token: str) -> bool:
    """True if the token, markers stripped, is non-empty and only punctuation characters.

    ASCII punctuation (string.punctuation, which includes $ + < = > ^ ` | ~) and every Unicode
    punctuation category (P*) count; special tokens never do.
    """
    text = strip_word_markers(token)
    if not text or _is_special(token):
        return False
    return all(char in string.punctuation or unicodedata.category(char)[0] == "P" for char in text)


def punctuation_mask(tokens: Sequence[str]) -> np.ndarray:
    """`is_punctuation` for each token: bool `[token]`."""
    return np.array([is_punctuation(token) for token in tokens], dtype=bool).reshape(len(tokens))


# --- hiding special tokens -------------------------------------------------------------------


def _check_axes(
    weights: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    visible: np.ndarray | None,
) -> np.ndarray:
    weights = np.asarray(weights)
    if weights.ndim < 2:
        raise ValueError(f"Weights must be at least 2-D [..., query, key], got {weights.shape}.")
    if weights.shape[-2:] != (len(query_tokens), len(key_tokens)):
        raise ValueError(
            f"Weights of shape {weights.shape} do not match {len(query_tokens)} query and "
            f"{len(key_tokens)} key tokens."
        )
    if visible is not None and np.shape(visible) != weights.shape[-2:]:
        raise ValueError(
            f"Mask of shape {np.shape(visible)} must be [query, key] = {weights.shape[-2:]}."
        )
    return weights


def renormalise_rows(weights: np.ndarray) -> np.ndarray:
    """Scale each row `[..., query, :]` to sum to 1; a row of zeros stays zeros. float32."""
    weights = np.asarray(weights, dtype=np.float32)
    sums = weights.sum(axis=-1, keepdims=True)  # [..., query, 1]
    safe = np.where(sums > 0, sums, np.float32(1))
    return (weights / safe).astype(np.float32, copy=False)


def hide_special_tokens(
    weights: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    visible: np.ndarray | None = None,
) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...], np.ndarray | None]:
    """Drop special query rows and key columns, then renormalise each row to sum to 1.

    weights: `[..., query, key]` -> `[..., kept query, kept key]` float32; visible: bool
    `[query, key]` or None, reduced the same way. A row whose remaining weights are all 0 stays 0;
    masked entries stay exactly 0. If every token is special the result has zero length.
    """
    weights = _check_axes(weights, query_tokens, key_tokens, visible)
    keep_query = ~special_token_mask(query_tokens)
    keep_key = ~special_token_mask(key_tokens)
    kept = weights[..., keep_query, :][..., keep_key]  # [..., kept query, kept key]
    kept_visible = None
    if visible is not None:
        kept_visible = np.asarray(visible, dtype=bool)[np.ix_(keep_query, keep_key)]
    return (
        renormalise_rows(kept),
        tuple(t for t, keep in zip(query_tokens, keep_query, strict=True) if keep),
        tuple(t for t, keep in zip(key_tokens, keep_key, strict=True) if keep),
        kept_visible,
    )


# --- merging word pieces ---------------------------------------------------------------------


def detect_scheme(tokens: Sequence[str]) -> str:
    """Which sub-word scheme the tokens use: "wordpiece", "byte_bpe", "sentencepiece" or "words".

    WordPiece if any token starts with ## (and is longer than "##"), else byte-level BPE if any
    starts with Ġ, else SentencePiece if any starts with ▁, else every token is a word.
    """
    if any(t.startswith(WORD_PIECE_CONTINUATION) and len(t) > 2 for t in tokens):
        return "wordpiece"
    if any(t.startswith(BYTE_LEVEL_SPACE) for t in tokens):
        return "byte_bpe"
    if any(t.startswith(SENTENCE_PIECE_SPACE) for t in tokens):
        return "sentencepiece"
    return "words"


def _continues_word(token: str, previous: str, scheme: str) -> bool:
    """True if `token` belongs to the same word as `previous` (both non-special)."""
    if scheme == "wordpiece":
        return token.startswith(WORD_PIECE_CONTINUATION) and len(token) > 2
    if scheme == "words":
        return False
    marker = BYTE_LEVEL_SPACE if scheme == "byte_bpe" else SENTENCE_PIECE_SPACE
    if previous == marker:
        return True  # a bare space piece joins the piece after it, so no word is empty
    if token.startswith(marker):
        return False
    # Punctuation is its own word, as BERT's pre-tokeniser makes it: "(", "hello", ")".
    return not (is_punctuation(token) or is_punctuation(previous))


def word_groups(tokens: Sequence[str]) -> list[list[int]]:
    """Token indices of each word, in order: `[[0], [1, 2], [3], ...]`.

    WordPiece: a piece starting with ## continues the previous word. Byte-level BPE (Ġ) and
    SentencePiece (▁): a piece starting with the marker starts a new word, other pieces continue
    the previous word, except that a piece of punctuation only is a word of its own. The first
    token and special tokens always start a word, and special tokens are always words alone.
    """
    scheme = detect_scheme(tokens)
    special = special_token_mask(tokens)
    groups: list[list[int]] = []
    for index, token in enumerate(tokens):
        joins = (
            index > 0
            and not special[index]
            and not special[index - 1]
            and _continues_word(token, tokens[index - 1], scheme)
        )
        if joins:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _word_text(tokens: Sequence[str], group: list[int]) -> str:
    text = "".join(strip_word_markers(tokens[index]) for index in group)
    return text or "".join(tokens[index] for index in group)  # a lone "▁" keeps its marker


def _key_sum_matrix(groups: list[list[int]], n_tokens: int) -> np.ndarray:
    """`[key, word]` one-hot: weights @ matrix sums each word's key pieces."""
    matrix = np.zeros((n_tokens, len(groups)), dtype=np.float32)
    for word, group in enumerate(groups):
        matrix[group, word] = 1
    return matrix


def _query_mean_matrix(groups: list[list[int]], has_key: np.ndarray) -> np.ndarray:
    """`[word, query]`: matrix @ weights averages each word's query pieces that see a key.

    Pieces whose row is fully masked (they see no key) are left out of the mean, so a merged row
    still sums to 1; a word none of whose pieces sees a key gets a row of zeros.
    """
    matrix = np.zeros((len(groups), has_key.shape[0]), dtype=np.float32)
    for word, group in enumerate(groups):
        pieces = [index for index in group if has_key[index]]
        if pieces:
            matrix[word, pieces] = 1 / len(pieces)
    return matrix


def merge_word_pieces(
    weights: np.ndarray,
    query_tokens: Sequence[str],
    key_tokens: Sequence[str],
    visible: np.ndarray | None = None,
) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...], np.ndarray | None]:
    """Merge sub-word pieces into words: sum over a word's key pieces, mean over its query pieces.

    weights: `[..., query, key]` -> `[..., query word, key word]` float32, rows still summing to 1.
    visible: bool `[query, key]` or None -> `[query word, key word]`, visible where any pair of
    pieces is visible. Word boundaries as in `word_groups`; a word's text is its pieces joined
    without markers ("river" + "##bank" -> "riverbank"). Clark et al. (2019) merge words the
    same way for their word-level analysis.
    """
    weights = _check_axes(weights, query_tokens, key_tokens, visible)
    query_groups, key_groups = word_groups(query_tokens), word_groups(key_tokens)
    if visible is None:
        has_key = np.ones(len(query_tokens), dtype=bool)
    else:
        visible = np.asarray(visible, dtype=bool)
        has_key = visible.any(axis=-1)  # [query]
    key_sum = _key_sum_matrix(key_groups, len(key_tokens))  # [key, key word]
    query_mean = _query_mean_matrix(query_groups, has_key)  # [query word, query]
    merged = query_mean @ (weights.astype(np.float32, copy=False) @ key_sum)
    # merged: [..., query word, key word]
    merged_visible = None
    if visible is not None:
        query_any = _key_sum_matrix(query_groups, len(query_tokens)).T  # [query word, query]
        merged_visible = (query_any @ visible.astype(np.float32) @ key_sum) > 0
    return (
        merged.astype(np.float32, copy=False),
        tuple(_word_text(query_tokens, group) for group in query_groups),
        tuple(_word_text(key_tokens, group) for group in key_groups),
        merged_visible,
    )


def merge_key_pieces(
    weights: np.ndarray, key_tokens: Sequence[str]
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Sum each word's key pieces, leaving the queries as they are.

    weights: `[..., query, key]` -> `[..., query, key word]` float32, rows still summing to 1.
    For an alignment whose rows are decoder steps: each step emitted one piece, so the rows
    stay pieces while the source reads as words ("Z ##or ##b ##ek" -> "Zorbek").
    """
    weights = np.asarray(weights)
    if weights.shape[-1] != len(key_tokens):
        raise ValueError(
            f"Weights with {weights.shape[-1]} keys do not match {len(key_tokens)} key tokens."
        )
    groups = word_groups(key_tokens)
    merged = weights.astype(np.float32, copy=False) @ _key_sum_matrix(groups, len(key_tokens))
    return merged, tuple(_word_text(key_tokens, group) for group in groups)

"""Special tokens, hiding them, and merging word pieces into words, with exact expected maps."""

from __future__ import annotations

import numpy as np
import pytest

from attnviz.analysis import (
    hide_special_tokens,
    merge_word_pieces,
    punctuation_mask,
    special_token_mask,
    word_groups,
)


def causal_attention(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random causal weights `[2, 3, n, n]` (rows sum to 1, future exactly 0) and their mask."""
    visible = np.tril(np.ones((n, n), dtype=bool))
    weights = np.random.default_rng(seed).random((2, 3, n, n)).astype(np.float32) * visible
    return weights / weights.sum(axis=-1, keepdims=True), visible


def test_special_tokens() -> None:
    special = ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[BOS]", "<s>", "</s>", "<pad>"]
    special += ["<|endoftext|>", "<extra_id_0>", "<mask>"]
    ordinary = ["[UNK]", "<unk>", "hello", "##s", "Ġthe", "▁the", "<", ">", "[", "]", "<>"]
    ordinary += ["[cls]", "< s >", "a]", "[A b]", "<0x0A>"]
    mask = special_token_mask(special + ordinary)
    assert mask.dtype == bool
    assert mask.tolist() == [True] * len(special) + [False] * len(ordinary)
    assert special_token_mask([]).shape == (0,)


def test_punctuation_strips_markers() -> None:
    tokens = [".", "Ġ,", "▁!", "##.", "...", "¿", "—", "a.", "Ġ", "▁", "[SEP]", "</s>", "$"]
    expected = [True, True, True, True, True, True, True, False, False, False, False, False, True]
    assert punctuation_mask(tokens).tolist() == expected


def test_hide_special_tokens_renormalises_rows() -> None:
    tokens = ("[CLS]", "the", "cat", "[SEP]")
    weights = np.random.default_rng(0).random((2, 3, 4, 4)).astype(np.float32)
    weights /= weights.sum(axis=-1, keepdims=True)
    hidden, query, key, visible = hide_special_tokens(weights, tokens, tokens)
    assert query == key == ("the", "cat") and visible is None
    assert hidden.shape == (2, 3, 2, 2) and hidden.dtype == np.float32
    np.testing.assert_allclose(hidden.sum(axis=-1), 1, atol=1e-6)
    block = weights[1, 2, 1:3, 1:3]
    np.testing.assert_allclose(hidden[1, 2], block / block.sum(axis=-1, keepdims=True), 1e-6)


def test_hide_special_tokens_keeps_masked_entries_zero() -> None:
    tokens = ("<|endoftext|>", "The", "Ġcat", "Ġsat")
    weights, visible = causal_attention(4)
    weights[..., 1, :] = [1, 0, 0, 0]  # "The" only sees the hidden token: its row becomes 0
    hidden, query, _, kept_visible = hide_special_tokens(weights, tokens, tokens, visible)
    assert query == ("The", "Ġcat", "Ġsat")
    np.testing.assert_array_equal(kept_visible, np.tril(np.ones((3, 3), dtype=bool)))
    assert (hidden[..., ~kept_visible] == 0).all()
    np.testing.assert_array_equal(hidden[..., 0, :], 0)
    np.testing.assert_allclose(hidden[..., 1:, :].sum(axis=-1), 1, atol=1e-6)


def test_hide_special_tokens_of_cross_attention() -> None:
    weights = np.full((1, 1, 3, 4), 0.25, dtype=np.float32)
    hidden, query, key, _ = hide_special_tokens(
        weights, ("[BOS]", "el", "gato"), ("the", "cat", ".", "[EOS]")
    )
    assert query == ("el", "gato") and key == ("the", "cat", ".")
    np.testing.assert_allclose(hidden, np.full((1, 1, 2, 3), 1 / 3), atol=1e-6)


def test_merge_word_pieces_of_a_bert_example_exactly() -> None:
    tokens = ("[CLS]", "the", "river", "##bank", "[SEP]")
    weights = np.array(
        [
            [0.2, 0.2, 0.2, 0.2, 0.2],
            [0.1, 0.5, 0.2, 0.1, 0.1],
            [0.0, 0.2, 0.4, 0.4, 0.0],
            [0.2, 0.0, 0.6, 0.2, 0.0],
            [0.1, 0.1, 0.1, 0.1, 0.6],
        ],
        dtype=np.float32,
    )
    # Keys: columns "river" and "##bank" add up. Queries: rows "river" and "##bank" average:
    # ([0, .2, .8, 0] + [.2, 0, .8, 0]) / 2 = [.1, .1, .8, 0].
    expected = [
        [0.2, 0.2, 0.4, 0.2],
        [0.1, 0.5, 0.3, 0.1],
        [0.1, 0.1, 0.8, 0.0],
        [0.1, 0.1, 0.2, 0.6],
    ]
    merged, query, key, visible = merge_word_pieces(weights[None, None], tokens, tokens)
    assert query == key == ("[CLS]", "the", "riverbank", "[SEP]") and visible is None
    assert merged.shape == (1, 1, 4, 4) and merged.dtype == np.float32
    np.testing.assert_allclose(merged[0, 0], expected, atol=1e-6)


@pytest.mark.parametrize(
    ("tokens", "groups", "words"),
    [
        (  # BERT WordPiece; a ## piece after a special token still starts a word
            ["[CLS]", "river", "##bank", "##s", ",", "[SEP]", "##x"],
            [[0], [1, 2, 3], [4], [5], [6]],
            ["[CLS]", "riverbanks", ",", "[SEP]", "x"],
        ),
        (  # GPT-2 / RoBERTa byte-level BPE
            ["<|endoftext|>", "The", "Ġriver", "bank", "s", ",", "Ġflow", "."],
            [[0], [1], [2, 3, 4], [5], [6], [7]],
            ["<|endoftext|>", "The", "riverbanks", ",", "flow", "."],
        ),
        (  # SentencePiece; a bare "▁" joins the piece after it
            ["▁The", "▁river", "bank", "▁flow", "s", "▁", "(", "a", ")", "</s>"],
            [[0], [1, 2], [3, 4], [5, 6], [7], [8], [9]],
            ["The", "riverbank", "flows", "(", "a", ")", "</s>"],
        ),
        (["the", "cat"], [[0], [1]], ["the", "cat"]),  # no markers: every token is a word
    ],
)
def test_word_groups_of_each_scheme(tokens: list[str], groups: list, words: list) -> None:
    assert word_groups(tokens) == groups
    n = len(tokens)
    weights = np.full((1, 1, n, n), 1 / n, dtype=np.float32)
    merged, query, key, _ = merge_word_pieces(weights, tokens, tokens)
    assert list(query) == list(key) == words
    sizes = [len(group) for group in groups]
    np.testing.assert_allclose(merged[0, 0], np.tile(np.array(sizes) / n, (len(groups), 1)), 1e-6)


def test_merge_word_pieces_keeps_causal_masks() -> None:
    tokens = ("<|endoftext|>", "The", "Ġriver", "bank", "Ġflows")  # words: 0 | 1 | 2 3 | 4
    weights, visible = causal_attention(5, seed=3)
    merged, query, _, merged_visible = merge_word_pieces(weights, tokens, tokens, visible)
    assert query == ("<|endoftext|>", "The", "riverbank", "flows")
    np.testing.assert_array_equal(merged_visible, np.tril(np.ones((4, 4), dtype=bool)))
    assert (merged[..., ~merged_visible] == 0).all()
    np.testing.assert_allclose(merged.sum(axis=-1), 1, atol=1e-6)
    # "riverbank" as query: mean of rows "Ġriver" and "bank"; as key: sum of their columns.
    expected = (
        weights[..., 2, 2] + weights[..., 2, 3] + weights[..., 3, 2] + weights[..., 3, 3]
    ) / 2
    np.testing.assert_allclose(merged[..., 2, 2], expected, atol=1e-6)


def test_merge_word_pieces_leaves_rows_without_keys_out_of_the_mean() -> None:
    tokens = ("a", "##b", "c")
    visible = np.array([[False, False, False], [True, True, False], [True, True, True]])
    weights = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]], dtype=np.float32)
    merged, _, _, merged_visible = merge_word_pieces(weights, tokens, tokens, visible)
    np.testing.assert_allclose(merged, [[1.0, 0.0], [0.5, 0.5]], atol=1e-6)
    np.testing.assert_array_equal(merged_visible, [[True, False], [True, True]])


def test_bad_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="do not match"):
        merge_word_pieces(np.ones((2, 3), dtype=np.float32), ["a", "b"], ["a", "b"])
    with pytest.raises(ValueError, match="Mask of shape"):
        hide_special_tokens(np.ones((2, 2), dtype=np.float32), "ab", "ab", np.ones((2, 3), bool))


def test_merge_key_pieces_sums_a_words_pieces_and_keeps_the_rows() -> None:
    from attnviz.analysis.tokens import merge_key_pieces

    keys = ["Z", "##or", "##bek", "went", ".", "[EOS]"]
    weights = np.array([[0.1, 0.2, 0.3, 0.2, 0.1, 0.1], [0.0, 0.0, 0.5, 0.5, 0.0, 0.0]], np.float32)
    merged, words = merge_key_pieces(weights[None, None], keys)
    assert words == ("Zorbek", "went", ".", "[EOS]")
    np.testing.assert_allclose(merged[0, 0], [[0.6, 0.2, 0.1, 0.1], [0.5, 0.5, 0.0, 0.0]])
    with pytest.raises(ValueError, match="key tokens"):
        merge_key_pieces(weights, keys[:-1])

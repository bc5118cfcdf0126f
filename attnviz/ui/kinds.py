"""What each kind of attention map shows, in a sentence or two, for captions and the Start page.

The kinds are the names of `AttentionMaps` (`encoder_self`, `decoder_self`, `cross`, `pooling`,
`memory`); a reader meets them as ids in the kind picker, so every picker says what its choice
is. `decoder_self` reads differently in a translator and in a language model: a translator's
decoder reads [BOS] and its own output one place behind, so its rows and columns are offset.
"""

from __future__ import annotations

from collections.abc import Sequence

ENCODER_SELF = (
    "**encoder_self**: the encoder's self-attention. Every input token (a row) attends to every "
    "input token (the columns), before and after it: rows and columns are the same tokens."
)
CROSS = (
    "**cross**: encoder-decoder attention. Each output token (a row) attends to the input "
    "tokens (the columns): what the decoder read from the source while it emitted that token."
)
DECODER_SELF_TRANSLATOR = (
    "**decoder_self**: the decoder's attention to the translation so far. Its queries are the "
    "decoder's inputs: the start token ([BOS]), then its own output one place behind. Each row "
    "is labelled with the token its position emitted, each column with the token it read, so "
    "the rows run one place ahead of the columns (rows El … [EOS] against columns [BOS] El …, "
    "for example): the first row read only [BOS]. The grey triangle is the future: a decoder "
    "may not see tokens it has not produced yet (the causal mask), so those weights are "
    "exactly 0."
)
DECODER_SELF_LANGUAGE_MODEL = (
    "**decoder_self**: causal self-attention. Each token (a row) attends to itself and the "
    "tokens before it (the columns). The grey triangle is the future: a decoder may not see "
    "tokens after the one it is reading (the causal mask), so those weights are exactly 0."
)
POOLING = (
    "**pooling**: attention pooling. One query, the classifier's, weighs every token; the "
    "weighted sum of the token states is what the classifier decides from."
)
MEMORY = (
    "**memory**: a memory network's hops. At each hop (a row) the question attends to the "
    "story's sentences (the columns) and reads the weighted sum of them."
)


def kind_caption(kind: str, kinds: Sequence[str] = ()) -> str:
    """A Markdown sentence on what a map of `kind` shows; `kinds` are all the model's kinds
    (a decoder beside an encoder is a translator's, offset by one place)."""
    if kind == "decoder_self":
        return DECODER_SELF_TRANSLATOR if "cross" in kinds else DECODER_SELF_LANGUAGE_MODEL
    captions = {"encoder_self": ENCODER_SELF, "cross": CROSS, "pooling": POOLING, "memory": MEMORY}
    return captions.get(kind, "")


def kinds_glossary() -> list[str]:
    """The three kinds of a Transformer, for the Start page: one Markdown line each."""
    return [ENCODER_SELF, DECODER_SELF_TRANSLATOR, CROSS]

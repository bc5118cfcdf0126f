"""`bahdanau-dates`: a character-level date normaliser with additive attention.

It reads a date written almost any way ("Thursday, 27 November 2026", "11/27/26") and writes
it as YYYY-MM-DD; its alignment shows which characters each output digit came from. Small
enough to train live in class (`attnviz.training.dates_train.train_dates`).
"""

from __future__ import annotations

from pathlib import Path

from attnviz.models.rnn import DESCRIPTIONS, RNNConfig, RNNModel, RNNTranslator, load_folder
from attnviz.models.seq2seq import WEIGHTS_DIR
from attnviz.models.tokens import CharTokenizer

NAME = "bahdanau-dates"
SOURCE_CHARACTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,./-'"
TARGET_CHARACTERS = "0123456789-"


def tokenizers() -> tuple[CharTokenizer, CharTokenizer]:
    """The source and target character vocabularies (fixed, not learnt)."""
    return CharTokenizer(SOURCE_CHARACTERS), CharTokenizer(TARGET_CHARACTERS)


def dates_config() -> RNNConfig:
    """Small sizes: the model must train to >= 99% exact in well under a minute on 2 cores."""
    source, target = tokenizers()
    return RNNConfig(
        score="additive",
        source_vocab=source.vocab_size,
        target_vocab=target.vocab_size,
        embedding=32,
        encoder_hidden=64,
        decoder_hidden=128,
        attention_hidden=64,
        output_hidden=64,
        dropout=0.0,
        max_source_tokens=48,
        max_target_tokens=11,
    )


def wrap(network: RNNTranslator) -> RNNModel:
    """An `RNNModel` around a (freshly trained) dates network, for views during training."""
    source, target = tokenizers()
    return RNNModel(NAME, DESCRIPTIONS[NAME], network.eval(), source, target)


def save_tokenizers(folder: Path) -> None:
    source, target = tokenizers()
    source.save(folder / "source_chars.json")
    target.save(folder / "target_chars.json")


def load_bahdanau_dates() -> RNNModel:
    return load_folder(WEIGHTS_DIR / NAME, NAME)

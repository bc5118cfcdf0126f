"""`bahdanau-dates`: a character-level date normaliser with additive attention.

It reads a date written almost any way ("Thursday, 27 November 2026", "11/27/26") and writes
it as YYYY-MM-DD; its alignment shows which characters each output digit came from. Small
enough to train live in class (`attnviz.training.dates_train.train_dates`).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path
from typing import Any

from attnviz.attention import Run
from attnviz.models.base import clean_text
from attnviz.models.registry import REGISTRY
from attnviz.models.rnn import RNNConfig, RNNModel, RNNTranslator, read_folder
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


_MONTH_PREFIXES = frozenset(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
)


def date_problem(text: str) -> str | None:
    """Why `text` holds no date this model can read, or None.

    A date needs numbers: two groups of digits ("11/27", "27.11.2026"), or one beside a
    month's name ("Nov 2026"). Without them the model would still write a confident
    YYYY-MM-DD ("hello world" -> "2030-03-03"), made up from nothing.
    """
    groups = re.findall(r"\d+", text)
    words = re.findall(r"[a-z]{3,}", text.lower())
    if len(groups) >= 2 or (groups and any(w[:3] in _MONTH_PREFIXES for w in words)):
        return None
    return (
        f"“{text}” holds no date to normalise: write a day, a month and a year, "
        "for example 27 November 2026 or 11/27/26."
    )


class DatesModel(RNNModel):
    """The date normaliser: refuses text without a date, and says when its output is not a
    real day of the calendar ("31 Feb 2020" -> "2020-02-31")."""

    def run(self, text: str, **options: Any) -> Run:
        cleaned, _ = clean_text(text)
        problem = date_problem(cleaned)
        if problem:
            raise ValueError(problem)
        run = super().run(text, **options)
        try:
            datetime.date.fromisoformat(run.output_text or "")
        except ValueError:
            note = (
                f"“{run.output_text}” is not a real date: the model wrote what it read, "
                "and the calendar has no such day."
            )
            return dataclasses.replace(run, notes=(*run.notes, note))
        return run


def wrap(network: RNNTranslator) -> DatesModel:
    """A `DatesModel` around a (freshly trained) dates network, for views during training."""
    source, target = tokenizers()
    return DatesModel(NAME, REGISTRY[NAME].description, network.eval(), source, target)


def save_tokenizers(folder: Path) -> None:
    source, target = tokenizers()
    source.save(folder / "source_chars.json")
    target.save(folder / "target_chars.json")


def load_bahdanau_dates() -> DatesModel:
    network, _, _ = read_folder(WEIGHTS_DIR / NAME)
    return wrap(network)

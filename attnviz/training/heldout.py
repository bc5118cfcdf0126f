"""The held-out evaluation sets of the translators, kept in the repository (`heldout_sets/`).

- `everyday.tsv`: everyday sentences (questions, negation, contractions, imperatives, first and
  second person) with Spanish references that we wrote ourselves;
- `names_numbers.tsv`: sentences with names and numbers, our references, and the strings the
  translation must contain exactly;
- `long.tsv`: long sentences (20-40 words) with Apertium's translation as the reference;
- `lengths.tsv`: sentences of 5 to 40 words, Apertium's translation as the reference, for the
  quality-by-length figure (`by_length.py`, with `long.tsv`).

No sentence of these sets is ever trained on: the corpus build drops candidates equal to one of
them, ignoring case and spacing (`key`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path

SETS_DIR = Path(__file__).resolve().parent / "heldout_sets"
SET_NAMES = ("everyday", "names_numbers", "long", "lengths")


@dataclasses.dataclass(frozen=True)
class HeldOutPair:
    """One held-out sentence with its reference and what must be copied into the output."""

    english: str
    spanish: str
    required: tuple[str, ...] = ()  # names and numbers the translation must contain


def copied_share(outputs: Sequence[str], pairs: Sequence[HeldOutPair]) -> float:
    """The share of required names and numbers that appear, whole, in the outputs."""
    wanted = found = 0
    for output, pair in zip(outputs, pairs, strict=True):
        for required in pair.required:
            wanted += 1
            found += bool(re.search(rf"(?<!\w){re.escape(required)}(?!\w)", output))
    return found / wanted if wanted else 1.0


def key(english: str) -> str:
    """What makes two English sentences the same sentence here: case and spacing ignored."""
    return " ".join(english.lower().split())


def read_set(name: str, sets_dir: Path = SETS_DIR) -> list[HeldOutPair]:
    """The pairs of one set; `#` lines are comments."""
    if name not in SET_NAMES:
        raise ValueError(f"Unknown held-out set {name!r}; allowed: {', '.join(SET_NAMES)}.")
    pairs = []
    for line in (sets_dir / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, spanish, *rest = line.split("\t")
        required = tuple(rest[0].split("|")) if rest and rest[0] else ()
        pairs.append(HeldOutPair(english.strip(), spanish.strip(), required))
    return pairs


def english_keys(sets_dir: Path = SETS_DIR) -> set[str]:
    """The key of every held-out English sentence, for the corpus build to leave out."""
    return {key(pair.english) for name in SET_NAMES for pair in read_set(name, sets_dir)}

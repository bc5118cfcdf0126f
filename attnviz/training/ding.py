"""Real English sentences and phrases from the English side of the Ding German-English dictionary.

Debian's `trans-de-en` ships Ding as `/usr/share/trans/de-en`, one entry a line:
`German :: English`, with alternatives separated by `|` (senses) and `;` (synonyms), grammar notes
in braces (`{adj}`, `{ate; eaten}`), labels in brackets (`[Br.]`, `[coll.]`) and glosses in
parentheses. We keep the English alternatives with their annotations removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

DING_PATH = Path("/usr/share/trans/de-en")

_ANNOTATION = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]|\([^()]*\)|<[^<>]*>")
_SPACES = re.compile(r"\s+")
# placeholders and notation that only make sense inside a dictionary
_DICTIONARY_NOTATION = re.compile(
    r"\b(sth|sb|sbd|etc|esp|e\.g|i\.e|approx)\b\.?|[…/~+=<>{}\[\]()#@*_|\"“”„]|\.\.|\b[A-Z]{2,}\b"
)
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "\u00a0": " "})
_ALLOWED = re.compile(r"[A-Za-z0-9 ,.;:!?'\-]+")
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?")


def english_side(path: Path = DING_PATH) -> Iterator[str]:
    """The English half of every Ding entry line (comments skipped)."""
    if not path.exists():
        raise ValueError(f"no Ding dictionary at {path}; install the Debian package trans-de-en")
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#") or " :: " not in line:
                continue
            yield line.rstrip("\n").split(" :: ", 1)[1]


def strip_annotations(text: str) -> str:
    """Text with braces, brackets, parentheses and angle brackets (and their content) removed."""
    previous = None
    while previous != text:  # nested annotations come off from the inside out
        previous, text = text, _ANNOTATION.sub(" ", text)
    return text


def alternatives(english: str) -> Iterator[str]:
    """The separate English alternatives of one entry, annotations removed."""
    for sense in strip_annotations(english.translate(_TYPOGRAPHY)).split("|"):
        yield from sense.split(";")


def clean_phrase(text: str, min_words: int = 3, max_words: int = 20) -> str | None:
    """A tidy English sentence or phrase, or None if it is dictionary notation or the wrong size."""
    text = _SPACES.sub(" ", text).strip(" ,;:-")
    text = re.sub(r" ([,.;:!?])", r"\1", text)
    if not text or _DICTIONARY_NOTATION.search(text) or not _ALLOWED.fullmatch(text):
        return None
    if text.lower().startswith("to ") or text[0] in ".,;:!?'-":
        return None  # an infinitive headword ("to run out of sth.") is not a sentence
    words = text.split()
    if not min_words <= len(words) <= max_words:
        return None
    if any(len(word) > 25 for word in words):
        return None
    return text


def is_sentence(text: str) -> bool:
    """True for a full sentence (capital letter, final punctuation), False for a phrase."""
    return text[:1].isupper() and text[-1:] in ".!?"


def ding_phrases(path: Path = DING_PATH, min_words: int = 3, max_words: int = 20) -> list[str]:
    """Distinct cleaned English sentences and phrases from Ding, in first-seen order."""
    if min_words < 1 or max_words < min_words:
        raise ValueError(f"need 1 <= min_words <= max_words, got {min_words} and {max_words}")
    seen: dict[str, None] = {}
    for english in english_side(path):
        for alternative in alternatives(english):
            phrase = clean_phrase(alternative, min_words, max_words)
            if phrase is not None:
                seen.setdefault(phrase, None)
    return list(seen)


def word_frequencies(path: Path = DING_PATH) -> Counter[str]:
    """How often each lowercase word occurs on the English side of Ding: a frequency ranking."""
    counts: Counter[str] = Counter()
    for english in english_side(path):
        counts.update(_TOKEN.findall(strip_annotations(english).lower()))
    return counts


def verb_frames(path: Path = DING_PATH) -> tuple[set[str], set[str]]:
    """Verbs Ding lists with an object ("to eat sth.") and verbs it lists bare ("to sleep")."""
    transitive: set[str] = set()
    intransitive: set[str] = set()
    for english in english_side(path):
        for alternative in strip_annotations(english).split("|"):
            for synonym in alternative.split(";"):
                words = synonym.split()
                if len(words) < 2 or words[0] != "to" or not words[1].isalpha():
                    continue
                if len(words) == 2:
                    intransitive.add(words[1])
                elif len(words) == 3 and words[2] in ("sth.", "sb.", "sb./sth."):
                    transitive.add(words[1])
    return transitive, intransitive

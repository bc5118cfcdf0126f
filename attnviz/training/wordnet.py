"""Natural English from WordNet: the example sentences quoted in its glosses.

WordNet 3.0 (Debian package `wordnet-base`, WordNet licence: free use with the copyright
notice; see CORPUS.md) quotes about 48,000 short examples in its glosses, such as
`"The tsunami swamped every boat in the harbor"`. Sentences a lexicographer wrote to show a word
in use, not made by our generator: they bring idioms, phrasal verbs and everyday vocabulary.
"""

from __future__ import annotations

import re
from pathlib import Path

WORDNET_DIR = Path("/usr/share/wordnet")
PARTS_OF_SPEECH = ("noun", "verb", "adj", "adv")
_QUOTED = re.compile(r'"([^"]+)"')
# Letters, digits, spaces and ordinary punctuation; anything else (brackets, slashes, "etc.")
# marks a dictionary fragment rather than a sentence.
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,;:'.!?-]*$")


def example_sentences(
    wordnet_dir: Path = WORDNET_DIR, min_words: int = 3, max_words: int = 40
) -> list[str]:
    """WordNet's distinct example sentences, capitalised and ending in punctuation.

    Raises FileNotFoundError naming the package when WordNet is not installed.
    """
    files = [wordnet_dir / f"data.{pos}" for pos in PARTS_OF_SPEECH]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise FileNotFoundError(
            f"WordNet's data files are missing ({', '.join(missing)}); "
            "install the Debian package wordnet-base."
        )
    sentences: dict[str, None] = {}
    for path in files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("  ") or "|" not in line:
                continue  # the licence header, or a synset without a gloss
            for quoted in _QUOTED.findall(line.split("|", 1)[1]):
                sentence = tidy(quoted)
                if sentence and min_words <= len(sentence.split()) <= max_words:
                    sentences.setdefault(sentence, None)
    return list(sentences)


def tidy(text: str) -> str | None:
    """One example as a sentence ("the wind settled" -> "The wind settled."), or None."""
    text = " ".join(text.split()).strip(" ;,")
    if not text or not _PLAIN.match(text) or "--" in text:
        return None
    if text[-1] not in ".!?":
        text += "."
    return text[0].upper() + text[1:]

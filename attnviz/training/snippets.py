"""Natural English from the VADER resources: sentences from reviews and newspaper editorials.

The source distribution of vaderSentiment 3.3.2 (MIT licence; Hutto and Gilbert 2014) ships the
sentences its raters scored: 5,190 snippets of New York Times editorials, 3,708 of Amazon product
reviews (after Hu and Liu 2004) and 10,605 of Rotten Tomatoes film reviews (Pang and Lee 2005).
They are written English of today, with the long sentences, relative clauses and everyday words
our generator lacks. Apertium translates them like the other sources, and the round trip
filters them (CORPUS.md).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from attnviz.training import sentiment_data

SNIPPET_FILES = (
    "hutto_ICWSM_2014/nytEditorialSnippets_GroundTruth.txt",
    "hutto_ICWSM_2014/amazonReviewSnippets_GroundTruth.txt",
    sentiment_data.RATINGS_FILE,
)
# Letters, digits, spaces and ordinary punctuation: markup, brackets and emoticons are left out.
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 ,;:'.!?\"-]*$")
_LOWER_I = re.compile(r"\bi\b")


def tidy(sentence: str) -> str:
    """One snippet as a sentence: spaces collapsed, a capital first letter, "i" as "I"."""
    sentence = " ".join(sentence.replace("''", '"').split())
    if sentence and sentence[0].islower():
        sentence = sentence[0].upper() + sentence[1:]
    return _LOWER_I.sub("I", sentence)


def snippet_sentences(
    min_words: int = 3, max_words: int = 40, sdist: Path | None = None
) -> list[str]:
    """The distinct snippets of `min_words`..`max_words` words in plain characters.

    Fetches the sdist with the package client unless `sdist` is given."""
    with tempfile.TemporaryDirectory() as scratch:
        archive = sdist or sentiment_data.download_sdist(Path(scratch))
        texts = [
            sentiment_data.resource_bytes(archive, name).decode("utf-8") for name in SNIPPET_FILES
        ]
    found: dict[str, None] = {}
    for text in texts:
        for line in text.splitlines():
            sentence = tidy(line.partition("\t")[2].partition("\t")[2])
            if _PLAIN.match(sentence) and min_words <= len(sentence.split()) <= max_words:
                found.setdefault(sentence, None)
    return list(found)

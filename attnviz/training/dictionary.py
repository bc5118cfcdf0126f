"""Is a generated word English? A dictionary from WordNet plus the words WordNet leaves out.

WordNet 3.0 (Debian `wordnet-base`) lists nouns, verbs, adjectives and adverbs in their base
forms (`index.*`) and irregular inflections (`*.exc`). Regular inflections ("walked",
"horses", "kindest") are reduced the way WordNet's own morphy does, by its suffix rules, and the
closed-class words it leaves out (pronouns, determiners, prepositions, conjunctions,
auxiliaries) are listed here. Used for the check that gpt-austen writes English words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

WORDNET_DIR = Path("/usr/share/wordnet")
PARTS_OF_SPEECH = ("noun", "verb", "adj", "adv")
# WordNet's morphy rules: (ending, replacement), tried in turn.
SUFFIX_RULES = (
    ("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
    ("men", "man"), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
    ("ing", "e"), ("ing", ""), ("er", ""), ("est", ""), ("er", "e"), ("est", "e"),
    ("ly", ""), ("ily", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("ness", ""),
)  # fmt: skip
_CLOSED_CLASS_TEXT = """
    a an the this that these those my your his her its our their mine yours hers ours theirs
    i me you he him she it we us they them myself yourself himself herself itself ourselves
    themselves who whom whose which what whatever whoever whichever and or but nor so yet
    for if than then because though although unless while whilst whether as of to in on at
    by with from into onto upon about above below over under between among amongst through
    throughout during before after since until till against without within towards toward
    beside besides beyond near across along around behind is am are was were be been being
    have has had having do does did done shall should will would may might must can could
    ought not no nor none every each either neither some any all both few many much more
    most less least several such own other another there here where when why how whereas
    wherever whenever hence thus indeed also very too quite rather just only even ever never
    always often sometimes perhaps whom's one two three four five six seven eight nine ten
    hundred thousand mr mrs miss sir lady madam o oh ah cannot else something anything
    nothing everything somebody anybody nobody everybody someone anyone everyone no-one
    whatever whoever
"""
CLOSED_CLASS = frozenset(_CLOSED_CLASS_TEXT.split())


@functools.cache
def dictionary(wordnet_dir: Path = WORDNET_DIR) -> frozenset[str]:
    """Every lower-case single word of WordNet's indexes and exception lists, and the
    closed-class words. Raises FileNotFoundError naming the package when WordNet is missing."""
    words: set[str] = set(CLOSED_CLASS)
    for pos in PARTS_OF_SPEECH:
        index, exceptions = wordnet_dir / f"index.{pos}", wordnet_dir / f"{pos}.exc"
        if not index.exists():
            raise FileNotFoundError(
                f"WordNet's index {index} is missing; install the Debian package wordnet-base."
            )
        for line in index.read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.startswith(" "):
                words.add(line.split(" ", 1)[0])
        if exceptions.exists():
            for line in exceptions.read_text(encoding="utf-8", errors="replace").splitlines():
                words.update(line.split())
    return frozenset(w for w in words if "_" not in w)


def is_word(word: str, known: frozenset[str] | None = None) -> bool:
    """Whether `word` (any case, possessive 's allowed) is a dictionary word or a regular
    inflection of one."""
    known = dictionary() if known is None else known
    word = word.lower()
    if word.endswith("'s"):
        word = word[:-2]
    if word in known:
        return True
    for ending, replacement in SUFFIX_RULES:
        stem = word[: -len(ending)] + replacement
        if word.endswith(ending) and len(word) > len(ending) + 1 and stem in known:
            return True
    # A doubled consonant before -ed, -ing, -er, -est ("stopped", "running", "bigger").
    doubled = re.match(r"^(.*([bdfgklmnprstz]))\2(ed|ing|er|est)$", word)
    return bool(doubled and doubled.group(1) in known)


_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def words_of(text: str) -> list[str]:
    """The words of `text`: runs of letters, with an apostrophe inside ("don't", "Emma's")."""
    return _WORD.findall(text)


def dictionary_share(texts: Iterable[str]) -> tuple[float, int]:
    """Share of the words of `texts` that are dictionary words, and how many words there were."""
    known = dictionary()
    words = [w for text in texts for w in words_of(text)]
    if not words:
        return 0.0, 0
    return sum(is_word(w, known) for w in words) / len(words), len(words)

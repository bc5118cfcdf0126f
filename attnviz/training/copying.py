"""Pairs that teach copying: training pairs with their names and numbers swapped for others.

A translator copies a name or a number it has never seen only if copying is what it learned.
Trained on the everyday grammar alone, it met a few hundred first names so often that it
learned them as words: an unseen "Roberto" came out as "La policía". Here each training pair
whose English and Spanish share a known name or a number is copied with that name swapped, on
both sides, for one drawn from thousands (WordNet's people, and names made of syllables that
belong to no language), and its numbers for other numbers. The swapped pairs join the training
split only; validation and test keep the sentences as built.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence

from attnviz.training import everyday_lexicon

_WORD = re.compile(r"(?<![\w-])[A-ZÀ-Ý][\w'-]*(?![\w-])")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?![\w.,]\d)")
ONSETS = ("b", "br", "d", "dr", "f", "g", "h", "j", "k", "kr", "l", "m", "n", "p", "r", "s")
ONSETS += ("sh", "t", "th", "tr", "v", "w", "y", "z", "ch", "gl", "st", "kh", "")
VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ei", "ou", "ia")
CODAS = ("", "", "", "n", "r", "s", "l", "k", "m", "th", "sh", "x")


def grammar_names() -> set[str]:
    """The first names and surnames of the everyday grammar: what is swapped out."""
    first = {
        name
        for line in everyday_lexicon.FIRST_NAMES.strip().splitlines()
        for name in line.partition(":")[2].split()
    }
    return first | set(everyday_lexicon.SURNAMES.split())


def made_up_name(rng: random.Random) -> str:
    """A name of two or three syllables that belongs to no language, e.g. "Trelios"."""
    syllables = rng.choice((2, 2, 3))
    letters = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
    return (letters + rng.choice(CODAS)).capitalize()


def name_pool(
    real: Iterable[str], count: int, forbidden: set[str], rng: random.Random
) -> list[str]:
    """`real` names plus made-up ones, `count` in all; none is a word in `forbidden` (lower)."""
    pool = dict.fromkeys(n for n in real if n.lower() not in forbidden)
    while len(pool) < count:
        name = made_up_name(rng)
        if name.lower() not in forbidden:
            pool.setdefault(name, None)
    return list(pool)[:count] if len(pool) > count else list(pool)


def other_number(number: str, rng: random.Random) -> str:
    """A different number of the same kind: an hour or a day stays one (2-12, 2-31), a year
    a year (1500-2099), others keep their digit count; 1 stays 1 (un gato, dos gatos)."""
    if number in {"0", "1"} or number.startswith("0"):
        return number
    value = int(number)
    if value <= 31:
        return str(rng.randint(2, 12 if value <= 12 else 31))
    if len(number) == 4 and 1500 <= value <= 2099:
        return str(rng.randint(1500, 2099))
    return str(rng.randint(10 ** (len(number) - 1), 10 ** len(number) - 1))


def swap_pair(
    english: str, spanish: str, names: set[str], pool: Sequence[str], rng: random.Random
) -> tuple[str, str] | None:
    """The pair with each shared known name and each shared number swapped on both sides, or
    None when it has neither."""
    swapped = swap_with_values(english, spanish, names, pool, rng)
    return None if swapped is None else swapped[:2]


def swap_with_values(
    english: str, spanish: str, names: set[str], pool: Sequence[str], rng: random.Random
) -> tuple[str, str, tuple[str, ...]] | None:
    """`swap_pair`'s pair and the names and numbers it put in, which a translation must copy."""
    swaps: dict[str, str] = {}
    for word in _WORD.findall(english):
        if word in names and word not in swaps and re.search(rf"(?<!\w){word}(?!\w)", spanish):
            swaps[word] = rng.choice(pool)
    for number in _NUMBER.findall(english):
        if number not in swaps and re.search(rf"(?<![\w.,]){number}(?![\w.,]\d)", spanish):
            replacement = other_number(number, rng)
            if replacement != number:
                swaps[number] = replacement
    if not swaps:
        return None
    pattern = re.compile("|".join(rf"(?<![\w.,]){re.escape(k)}(?![\w]|[.,]\d)" for k in swaps))
    english, spanish = (pattern.sub(lambda m: swaps[m.group(0)], s) for s in (english, spanish))
    return english, spanish, tuple(dict.fromkeys(swaps.values()))


def swapped_pairs(
    pairs: Sequence[tuple[str, str]],
    count: int,
    real_names: Iterable[str],
    forbidden: set[str],
    seed: int = 0,
) -> dict[tuple[str, str], tuple[str, ...]]:
    """Up to `count` distinct swapped copies of `pairs` (those with names or numbers), drawn
    in turn from a shuffled order so every such pair gives about as many copies; each with
    the names and numbers swapped in."""
    rng = random.Random(seed)
    names = grammar_names()
    pool = name_pool(real_names, 6000, forbidden | {n.lower() for n in names}, rng)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for _ in range(8):  # passes; a pair yields a new copy on each
        useful = 0
        for index in order:
            swapped = swap_with_values(*pairs[index], names, pool, rng)
            if swapped is None:
                continue
            useful += 1
            found.setdefault(swapped[:2], swapped[2])
            if len(found) >= count:
                return found
        if not useful:
            break
    return found

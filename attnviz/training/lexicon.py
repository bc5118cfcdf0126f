"""English words that Apertium's eng-spa pair translates, read from its bilingual dictionary.

The compiled bilingual transducer (`eng-spa.autobil.bin`) is printed with `lt-print` (Debian
package `lttoolbox-dev`) and its paths are enumerated: each path is one dictionary entry,
`english<pos>...` on the input side and `spanish<pos>...` on the output side. English inflected
forms (plural, third person, past) come from the pair's English generator via `lt-proc -g`, and
every form is analysed back with the English analyser so that ambiguous words can be avoided.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

APERTIUM_DIR = Path("/usr/share/apertium/apertium-eng-spa")
BILINGUAL_BIN = "eng-spa.autobil.bin"  # English -> Spanish bilingual dictionary
REVERSE_BILINGUAL_BIN = "spa-eng.autobil.bin"  # Spanish -> English
ENGLISH_ANALYSER_BIN = "eng-spa.automorf.bin"  # English surface form -> lemma<tags>
ENGLISH_GENERATOR_BIN = "spa-eng.autogen.bin"  # English lemma<tags> -> surface form

OPEN_CLASSES = ("n", "adj", "vblex", "adv")
_WORD = re.compile(r"[a-z]{2,16}")
_ENTRY = re.compile(r"^([^<]+)<([a-z]+)>")


@dataclass(frozen=True)
class Entry:
    """One bilingual dictionary entry: an English lemma, its part of speech, a Spanish lemma."""

    english: str
    pos: str  # Apertium tag: n, adj, vblex, adv, ...
    spanish: str


@dataclass(frozen=True)
class Noun:
    """A countable English noun with its plural."""

    singular: str
    plural: str


@dataclass(frozen=True)
class Verb:
    """An English lexical verb with the forms the generator needs."""

    base: str  # "eat"
    third: str  # "eats"
    past: str  # "ate"
    gerund: str  # "eating"
    transitive: bool = True  # takes a direct object


@dataclass(frozen=True)
class Lexicon:
    """Open-class words for the sentence generator; every one is in the bilingual dictionary."""

    nouns: tuple[Noun, ...]
    adjectives: tuple[str, ...]
    verbs: tuple[Verb, ...]
    adverbs: tuple[str, ...]
    spanish: dict[str, str] = field(default_factory=dict, compare=False)  # lemma -> Spanish

    def words(self) -> set[str]:
        """Every distinct English word form the lexicon can put in a sentence."""
        forms: set[str] = set(self.adjectives) | set(self.adverbs)
        for noun in self.nouns:
            forms.update((noun.singular, noun.plural))
        for verb in self.verbs:
            forms.update((verb.base, verb.third, verb.past, verb.gerund))
        return forms

    def lemmas(self) -> set[str]:
        """Every distinct English lemma in the lexicon."""
        return set(self.lemma_of_form().values())

    def lemma_of_form(self) -> dict[str, str]:
        """Word form -> lemma, for every form the lexicon can put in a sentence."""
        lemma_of = {word: word for word in (*self.adjectives, *self.adverbs)}
        for noun in self.nouns:
            lemma_of |= {noun.singular: noun.singular, noun.plural: noun.singular}
        for verb in self.verbs:
            lemma_of |= {form: verb.base for form in (verb.third, verb.past, verb.gerund)}
            lemma_of[verb.base] = verb.base
        return lemma_of


def require_tool(name: str) -> str:
    """Return the path of a command-line tool, or raise if it is not installed."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(
            f"{name} not found: install the Debian packages apertium-eng-spa and "
            "lttoolbox-dev (which provides lt-print)"
        )
    return path


def print_transducer(binary: Path) -> str:
    """Text (AT&T format) of a compiled lttoolbox transducer."""
    if not binary.exists():
        raise ValueError(f"no transducer at {binary}; is apertium-eng-spa installed?")
    tool = require_tool("lt-print")
    return subprocess.run([tool, str(binary)], capture_output=True, text=True, check=True).stdout


def _parse_att(text: str) -> tuple[dict[int, list[tuple[int, str, str]]], set[int]]:
    """Transitions and final states of the first section of an AT&T transducer listing."""
    transitions: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    finals: set[int] = set()
    for line in text.splitlines():
        if line.startswith("--"):
            break  # later sections hold punctuation and number patterns
        parts = line.split("\t")
        if len(parts) <= 3:
            finals.add(int(parts[0]))
            continue
        source, target, upper, lower = int(parts[0]), int(parts[1]), parts[2], parts[3]
        upper, lower = ("" if side == "ε" else side for side in (upper, lower))  # ε: empty
        transitions[source].append((target, upper, lower))
    return transitions, finals


def enumerate_paths(text: str, max_length: int = 120) -> list[tuple[str, str]]:
    """All (input, output) strings of an AT&T transducer listing.

    Number patterns (paths starting with a digit) are skipped, and so is any path longer than
    max_length symbols: the only loops in a bilingual dictionary are in those patterns.
    """
    transitions, finals = _parse_att(text)
    paths: list[tuple[str, str]] = []
    # iterative depth-first search: (state, input so far, output so far, symbols so far)
    stack: list[tuple[int, str, str, int]] = [(0, "", "", 0)]
    while stack:
        state, upper, lower, length = stack.pop()
        if state in finals and upper:
            paths.append((upper, lower))
        if length >= max_length:
            continue
        for target, up, low in transitions.get(state, ()):
            if target != state and not (state == 0 and up[:1].isdigit()):
                stack.append((target, upper + up, lower + low, length + 1))
    return paths


@functools.lru_cache(maxsize=4)
def dictionary_paths(binary: Path) -> tuple[tuple[str, str], ...]:
    """Every (input, output) entry of a compiled bilingual dictionary (cached: it takes seconds)."""
    return tuple(enumerate_paths(print_transducer(binary)))


def read_bilingual(apertium_dir: Path = APERTIUM_DIR) -> list[Entry]:
    """Open-class entries of the eng-spa bilingual dictionary, single lowercase English words."""
    entries = set()
    for upper, lower in dictionary_paths(apertium_dir / BILINGUAL_BIN):
        english, spanish = _ENTRY.match(upper), _ENTRY.match(lower)
        if english is None or spanish is None or english.group(2) not in OPEN_CLASSES:
            continue
        if _WORD.fullmatch(english.group(1)):
            entries.add(Entry(english.group(1), english.group(2), spanish.group(1)))
    return sorted(entries, key=lambda entry: (entry.pos, entry.english, entry.spanish))


def run_lt_proc(flag: str | None, binary: Path, lines: list[str]) -> list[str]:
    """Run `lt-proc [flag] binary` over lines (one stream, one process); one output per line."""
    tool = require_tool("lt-proc")
    command = [tool] + ([flag] if flag else []) + [str(binary)]
    result = subprocess.run(
        command, input="\n".join(lines) + "\n", capture_output=True, text=True, check=True
    )
    outputs = result.stdout.rstrip("\n").split("\n")
    if len(outputs) != len(lines):
        raise RuntimeError(f"lt-proc returned {len(outputs)} lines for {len(lines)}")
    return outputs


def apertium_lines(direction: str, lines: list[str], hide_unknown: bool) -> list[str] | None:
    """Translate lines in one apertium process; None if the line count came back different."""
    command = [require_tool("apertium")] + (["-u"] if hide_unknown else []) + [direction]
    text = "".join(line.replace("\n", " ") + "\n" for line in lines)
    result = subprocess.run(command, input=text, capture_output=True, text=True, check=True)
    outputs = result.stdout.split("\n")
    if outputs and outputs[-1] == "":
        outputs.pop()
    if len(outputs) != len(lines):
        return None
    return [" ".join(out.split()) for out in outputs]  # a dropped word leaves a double space


def translate_cleanly(probes: list[tuple[str, ...]]) -> list[bool]:
    """For each group of probe phrases: does Apertium translate them all without `*#@` marks?"""
    lines = [line for group in probes for line in group]
    outputs = apertium_lines("eng-spa", lines, hide_unknown=False) if lines else []
    if outputs is None:  # cannot tell which line is which: keep every word
        return [True] * len(probes)
    clean, at = [], 0
    for group in probes:
        clean.append(not any(re.search(r"[*#@]", out) for out in outputs[at : at + len(group)]))
        at += len(group)
    return clean


def generate_forms(requests: list[str], apertium_dir: Path = APERTIUM_DIR) -> list[str | None]:
    """English surface forms for `lemma<tags>` requests; None where the generator fails."""
    if not requests:
        return []
    lines = [f"^{request}$" for request in requests]
    outputs = run_lt_proc("-g", apertium_dir / ENGLISH_GENERATOR_BIN, lines)
    return [out.strip() if _WORD.fullmatch(out.strip()) else None for out in outputs]


def analyse_forms(words: list[str], apertium_dir: Path = APERTIUM_DIR) -> dict[str, set[str]]:
    """Parts of speech the English analyser gives each word form (empty set if unknown)."""
    words = sorted({word for word in words if _WORD.fullmatch(word)})  # nothing the stream escapes
    outputs = run_lt_proc(None, apertium_dir / ENGLISH_ANALYSER_BIN, words) if words else []
    readings: dict[str, set[str]] = {}
    for word, out in zip(words, outputs, strict=True):
        readings[word] = set(re.findall(r"/[^/<$]+<([a-z]+)>", out))
    return readings


def _ranked(entries: list[Entry], pos: str, frequencies: dict[str, int], minimum: int) -> list[str]:
    """Lemmas of one part of speech, most frequent first, dropping rare ones."""
    lemmas = {entry.english for entry in entries if entry.pos == pos}
    common = [lemma for lemma in lemmas if frequencies.get(lemma, 0) >= minimum]
    return sorted(common, key=lambda lemma: (-frequencies[lemma], lemma))


def _only(readings: dict[str, set[str]], forms: list[str], allowed: set[str]) -> bool:
    """True if the analyser knows every form and reads each only as one of the allowed tags."""
    return all(readings.get(form) and readings[form] <= allowed for form in forms)


def _pick_nouns(lemmas: list[str], core: set[str], limit: int, apertium_dir: Path) -> list[Noun]:
    """Core nouns, then nouns whose forms the tagger cannot mistake for a verb or an adjective."""
    requests = [f"{lemma}<n><{number}>" for lemma in lemmas for number in ("sg", "pl")]
    forms = generate_forms(requests, apertium_dir)
    pairs = [(lemma, forms[2 * i], forms[2 * i + 1]) for i, lemma in enumerate(lemmas)]
    pairs = [(lemma, sg, pl) for lemma, sg, pl in pairs if sg == lemma and pl and pl != sg]
    readings = analyse_forms([form for _, sg, pl in pairs for form in (sg, pl)], apertium_dir)
    nouns = [Noun(sg, pl) for _, sg, pl in pairs if sg in core]
    nouns += [
        Noun(sg, pl) for _, sg, pl in pairs if sg not in core and _only(readings, [sg, pl], {"n"})
    ]
    nouns = nouns[: limit + limit // 2]  # some fail in Spanish ("algunas #muro sísmicas")
    probes = [(f"the {noun.singular}.", f"some big {noun.plural}.") for noun in nouns]
    return [noun for noun, ok in zip(nouns, translate_cleanly(probes), strict=True) if ok][:limit]


_VERB_TAGS = ("<vblex><inf>", "<vblex><pri><p3><sg>", "<vblex><past>", "<vblex><ger>")


def _pick_verbs(
    lemmas: list[str], transitive: set[str], core: set[str], limit: int, apertium_dir: Path
) -> list[Verb]:
    """Verbs whose inflected forms the tagger reads only as verbs, core verbs first."""
    forms = generate_forms([lemma + tags for lemma in lemmas for tags in _VERB_TAGS], apertium_dir)
    verbs = []
    for i, lemma in enumerate(lemmas):
        base, third, past, gerund = forms[4 * i : 4 * i + 4]
        if base == lemma and third and past and gerund:
            verbs.append(Verb(base, third, past, gerund, transitive=lemma in transitive))
    forms_to_check = [form for verb in verbs for form in (verb.third, verb.past)]
    readings = analyse_forms(forms_to_check, apertium_dir)
    base_lemmas = analyse_lemmas([verb.base for verb in verbs], apertium_dir)
    # core verbs go first but must be unambiguous too: "sleeps" read as a noun ruins a sentence,
    # and a base form that is another verb's past ("found", "left") turns the tense around
    unambiguous = [
        verb
        for verb in verbs
        if _only(readings, [verb.third, verb.past], {"vblex"})
        and base_lemmas.get(verb.base) == {verb.base}
    ]
    chosen = [verb for verb in unambiguous if verb.base in core]
    chosen += [verb for verb in unambiguous if verb.base not in core]
    return chosen[:limit]


def _pick_simple(
    lemmas: list[str], tag: str, core: set[str], limit: int, apertium_dir: Path
) -> list[str]:
    """Core adjectives or adverbs, then those the analyser reads only with their own tag."""
    readings = analyse_forms(lemmas, apertium_dir) if lemmas else {}
    chosen = [lemma for lemma in lemmas if lemma in core]
    chosen += [word for word in lemmas if word not in core and _only(readings, [word], {tag})]
    chosen = chosen[: limit + limit // 2]
    if tag == "adj":
        probes = [(f"the {word} car.", f"the {word} houses.") for word in chosen]
        chosen = [word for word, ok in zip(chosen, translate_cleanly(probes), strict=True) if ok]
    return chosen[:limit]


@dataclass(frozen=True)
class CoreWords:
    """Everyday words that go first in the lexicon even when the tagger finds them ambiguous."""

    nouns: frozenset[str] = frozenset()
    adjectives: frozenset[str] = frozenset()
    verbs: frozenset[str] = frozenset()
    adverbs: frozenset[str] = frozenset()
    transitive: frozenset[str] = frozenset()  # core verbs that take a direct object


def _ranked_with_core(
    entries: list[Entry], pos: str, frequencies: dict[str, int], core: frozenset[str]
) -> list[str]:
    """Core lemmas found in the dictionary first, then the rest by frequency."""
    in_dictionary = {entry.english for entry in entries if entry.pos == pos}
    first = sorted(core & in_dictionary)
    return first + [lemma for lemma in _ranked(entries, pos, frequencies, 2) if lemma not in core]


def build_lexicon(
    frequencies: dict[str, int],
    transitive: set[str],
    intransitive: set[str],
    core: CoreWords = CoreWords(),
    sizes: tuple[int, int, int, int] = (1500, 600, 400, 120),
    apertium_dir: Path = APERTIUM_DIR,
) -> Lexicon:
    """The generator's lexicon: core words, then frequent unambiguous words of the dictionary.

    sizes: at most (nouns, adjectives, verbs, adverbs). frequencies rank the words (from Ding);
    transitive and intransitive are verbs seen with and without an object.
    """
    if any(size < 1 for size in sizes):
        raise ValueError(f"lexicon sizes must be positive, got {sizes}")
    entries = read_bilingual(apertium_dir)
    spanish = {entry.english: entry.spanish for entry in entries}
    nouns = _ranked_with_core(entries, "n", frequencies, core.nouns)
    adjectives = _ranked_with_core(entries, "adj", frequencies, core.adjectives)
    verbs = [
        v
        for v in _ranked_with_core(entries, "vblex", frequencies, core.verbs)
        if v in core.verbs or v in transitive | intransitive
    ]
    adverbs = [
        a
        for a in _ranked_with_core(entries, "adv", frequencies, core.adverbs)
        if a in core.adverbs or a.endswith("ly")
    ]
    return Lexicon(
        nouns=tuple(_pick_nouns(nouns, set(core.nouns), sizes[0], apertium_dir)),
        adjectives=tuple(
            _pick_simple(adjectives, "adj", set(core.adjectives), sizes[1], apertium_dir)
        ),
        verbs=tuple(
            _pick_verbs(
                verbs,
                (transitive - core.verbs) | core.transitive,
                set(core.verbs),
                sizes[2],
                apertium_dir,
            )
        ),
        adverbs=tuple(_pick_simple(adverbs, "adv", set(core.adverbs), sizes[3], apertium_dir)),
        spanish=spanish,
    )


def bilingual_lemmas(apertium_dir: Path = APERTIUM_DIR) -> dict[str, set[str]]:
    """English lemma -> Spanish lemmas it translates to or from (both directions of the pair)."""
    translations: dict[str, set[str]] = defaultdict(set)
    for binary, english_side in ((BILINGUAL_BIN, 0), (REVERSE_BILINGUAL_BIN, 1)):
        for path in dictionary_paths(apertium_dir / binary):
            english = _ENTRY.match(path[english_side])
            spanish = _ENTRY.match(path[1 - english_side])
            if english and spanish and " " not in english.group(1):
                translations[english.group(1).lower()].add(spanish.group(1).lower())
    return dict(translations)


def analyse_lemmas(words: list[str], apertium_dir: Path = APERTIUM_DIR) -> dict[str, set[str]]:
    """Lemmas the English analyser gives each lowercase word form (empty set if unknown)."""
    words = sorted({word for word in words if _WORD.fullmatch(word)})
    outputs = run_lt_proc(None, apertium_dir / ENGLISH_ANALYSER_BIN, words) if words else []
    return {
        word: {lemma.lower() for lemma in re.findall(r"/([^/<$]+)<", out)}
        for word, out in zip(words, outputs, strict=True)
    }


if __name__ == "__main__":
    from attnviz.training.ding import verb_frames, word_frequencies

    lexicon = build_lexicon(word_frequencies(), *verb_frames())
    print(
        f"{len(lexicon.nouns)} nouns, {len(lexicon.adjectives)} adjectives, "
        f"{len(lexicon.verbs)} verbs, {len(lexicon.adverbs)} adverbs, "
        f"{len(lexicon.lemmas())} lemmas, {len(lexicon.words())} word forms",
        file=sys.stderr,
    )

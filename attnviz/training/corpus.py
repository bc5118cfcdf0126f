"""Build the English-Spanish corpus: generate, translate with Apertium, filter, dedupe, split.

Output (the contract with the trainers): `train.tsv`, `valid.tsv`, `test.tsv` in out_dir, UTF-8,
one `english<TAB>spanish` pair a line, no header; `stats.json` with the counts; `dropped.tsv`
with every dropped pair and the reason. Files are written under a temporary name and renamed, and
`stats.json` comes last, so a reader never sees a half-written corpus.

    python -m attnviz.training.corpus --out data/corpus
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import logging
import os
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from attnviz.training import copying, ding, grammar, heldout, snippets, wordnet
from attnviz.training.lexicon import (
    analyse_lemmas,
    apertium_lines,
    bilingual_lemmas,
    build_lexicon,
)

if TYPE_CHECKING:
    from sacrebleu.metrics import CHRF

log = logging.getLogger("attnviz.training.corpus")

BATCH_LINES = 5000  # lines per apertium process
ROUND_TRIP_THRESHOLD = 85.0  # lowest RoundTripJudge score kept; see CORPUS.md
SPLIT_PERCENT = {"test": 2, "valid": 2}  # the rest is train
UNKNOWN_MARKS = re.compile(r"[*#@]")
MIN_WORDS, MAX_WORDS = 3, 40
MAX_SHORT_WORDS = 20  # the short generated sentences, Ding and WordNet; long ones are 20-40
GENERATED_COUNT = 65_000  # short sentences generated before filtering
LONG_COUNT = 24_000  # long sentences (20-40 words) generated before filtering
EVERYDAY_COUNT = 90_000  # pairs of the bilingual everyday grammar (Spanish written by us)
COPYING_COUNT = 30_000  # training pairs copied with other names and numbers (copying.py)


@dataclass
class Pair:
    """One candidate sentence pair on its way through the pipeline."""

    english: str
    source: str  # "generated", "long", "ding", "wordnet", "snippets", "everyday", "copying"
    spanish: str = ""  # filled by Apertium, or given by our own bilingual grammar
    round_trip: str = ""
    score: float = 0.0  # round-trip word match, 0-100 (RoundTripJudge)
    chrf: float = 0.0  # round-trip chrF, 0-100, recorded for comparison only
    split: str = ""  # train, valid or test when fixed; else from the hash of the English


def translate_lines(direction: str, lines: list[str], hide_unknown: bool = False) -> list[str]:
    """Translate a batch; if apertium merges or splits lines, halve the batch until it does not.

    A line that cannot be translated on its own line comes back as "" (the filter drops it).
    """
    outputs = apertium_lines(direction, lines, hide_unknown) if lines else []
    if outputs is not None:
        return outputs
    if len(lines) == 1:
        log.warning("apertium %s changed the line count of %r", direction, lines[0])
        return [""]
    middle = len(lines) // 2
    first = translate_lines(direction, lines[:middle], hide_unknown)
    return first + translate_lines(direction, lines[middle:], hide_unknown)


def translate_all(direction: str, lines: list[str], hide_unknown: bool = False) -> list[str]:
    """Translate many lines in batches of BATCH_LINES, one apertium process at a time."""
    outputs: list[str] = []
    batches = range(0, len(lines), BATCH_LINES)
    for start in tqdm(
        batches, desc=f"apertium {direction}", unit="batch", leave=False, mininterval=2
    ):
        outputs += translate_lines(direction, lines[start : start + BATCH_LINES], hide_unknown)
    return outputs


_CONTRACTIONS = (("can't", "can not"), ("won't", "will not"), ("n't", " not"), ("'", "'"))
_TOKEN = re.compile(r"'s\b|[a-z0-9]+")
DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "my", "your", "his", "her", "our", "their"}
)
# Spanish drops and guesses subject pronouns, so the round trip swaps them freely
SUBJECT_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they"})


@functools.cache
def _chrf() -> CHRF:
    """sacrebleu's chrF scorer, imported on first use (the import takes a while)."""
    from sacrebleu.metrics import CHRF

    return CHRF()


def round_trip_score(english: str, round_trip: str) -> float:
    """chrF (0-100) of the back-translation against the English, ignoring case."""
    return _chrf().sentence_score(round_trip.lower(), [english.lower()]).score


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens for the round-trip comparison; "'s" is a token of its own."""
    text = text.lower()
    for contraction, expansion in _CONTRACTIONS:
        text = text.replace(contraction, expansion)
    return _TOKEN.findall(text)


def possessive_variants(tokens: list[str]) -> list[list[str]]:
    """tokens, plus "the X's big car" rewritten as "the big car of the X" (as Spanish says it).

    The length of the possessed phrase is unknown, so 1 to 3 words are tried.
    """
    variants = [tokens]
    if "'s" not in tokens:
        return variants
    at = tokens.index("'s")
    owner_start = at - 2 if at >= 2 and tokens[at - 2] in DETERMINERS else at - 1
    owner = tokens[max(owner_start, 0) : at]
    for length in (1, 2, 3):
        possessed = tokens[at + 1 : at + 1 + length]
        if len(possessed) == length:
            rest = tokens[at + 1 + length :]
            before = tokens[: max(owner_start, 0)]
            variants.append([*before, "the", *possessed, "of", *owner, *rest])
    return variants


class RoundTripJudge:
    """Scores how well a round trip keeps the English: an order-aware word match that accepts
    synonyms, i.e. two words match if they share a lemma or a Spanish translation in Apertium's
    dictionary (so "children" ~ "boys" through "niño", "dirty" ~ "soiled" through "sucio")."""

    def __init__(self, translations: dict[str, set[str]], lemmas: dict[str, set[str]]) -> None:
        self.translations = translations
        self.lemmas = lemmas
        self.cache: dict[str, frozenset[str]] = {}

    def keys(self, word: str) -> frozenset[str]:
        """What a word can match: itself, its lemmas and their Spanish translations."""
        if word not in self.cache:
            lemmas = self.lemmas.get(word, set()) | {word}
            spanish = {"es:" + t for lemma in lemmas for t in self.translations.get(lemma, ())}
            pronoun = {"<subject>"} if word in SUBJECT_PRONOUNS else set()
            self.cache[word] = frozenset(lemmas | spanish | pronoun)
        return self.cache[word]

    def common_length(self, first: list[str], second: list[str]) -> int:
        """Length of the longest common subsequence of words, matching synonyms."""
        first_keys = [self.keys(word) for word in first]
        second_keys = [self.keys(word) for word in second]
        previous = [0] * (len(second) + 1)
        for keys in first_keys:
            current = [0]
            for j, other in enumerate(second_keys):
                if keys.isdisjoint(other):
                    current.append(max(previous[j + 1], current[j]))
                else:
                    current.append(previous[j] + 1)
            previous = current
        return previous[-1]

    def score(self, english: str, round_trip: str) -> float:
        """0-100: the F1 of the common word subsequence (best over possessive rewrites)."""
        back = tokenize(round_trip)
        best = 0.0
        for tokens in possessive_variants(tokenize(english)):
            if tokens or back:
                common = self.common_length(tokens, back)
                best = max(best, 200.0 * common / (len(tokens) + len(back)))
        return best


def split_of(english: str) -> str:
    """train, valid or test, from a stable hash of the English sentence."""
    bucket = int.from_bytes(hashlib.sha256(english.encode("utf-8")).digest()[:8], "big") % 100
    if bucket < SPLIT_PERCENT["test"]:
        return "test"
    if bucket < SPLIT_PERCENT["test"] + SPLIT_PERCENT["valid"]:
        return "valid"
    return "train"


def drop_reason(pair: Pair, threshold: float) -> str | None:
    """Why a translated pair is dropped, or None to keep it.

    Pairs whose Spanish our own grammar wrote (source "everyday") skip the round trip: it
    checks Apertium's translations, and Apertium is what those pairs correct."""
    if pair.source in OWN_SOURCES:
        return "tab" if "\t" in pair.english + pair.spanish else None
    if UNKNOWN_MARKS.search(pair.spanish):
        return "unknown_word"
    if not pair.spanish or not pair.round_trip:
        return "line_mismatch"
    if "\t" in pair.english + pair.spanish:
        return "tab"
    if pair.score < threshold:
        return "round_trip"
    return None


OWN_SOURCE = "everyday"
COPYING_SOURCE = "copying"
OWN_SOURCES = frozenset({OWN_SOURCE, COPYING_SOURCE})  # Spanish not from Apertium


def long_sentences(generator: grammar.SentenceGenerator, count: int) -> list[str]:
    """Up to `count` distinct generated sentences of 20-40 words."""
    found: dict[str, None] = {}
    for _ in tqdm(range(count), desc="long sentences", leave=False, mininterval=2):
        sentence = generator.long_sentence(MAX_SHORT_WORDS, MAX_WORDS)
        if sentence is not None:
            found.setdefault(sentence.text, None)
    return list(found)


def everyday_pairs(count: int, seed: int) -> list[tuple[str, str]]:
    """Pairs of our bilingual everyday grammar (imported here: it starts Apertium's generator)."""
    from attnviz.training.everyday import everyday_pairs as generate

    return generate(count, seed)


def candidate_sentences(
    seed: int,
    generated_count: int,
    long_count: int = LONG_COUNT,
    everyday_count: int = EVERYDAY_COUNT,
    with_snippets: bool = True,
) -> tuple[list[Pair], dict, dict[str, str]]:
    """Candidates from every source (deduplicated), facts, and the lexicon's lemmas.

    Sentences of the held-out evaluation sets are left out (their count is in the facts)."""
    frequencies = ding.word_frequencies()
    lexicon = build_lexicon(frequencies, *ding.verb_frames(), core=grammar.CORE)
    generator = grammar.SentenceGenerator(lexicon, seed)
    generated: dict[str, None] = {}
    for sentence in tqdm(
        generator.sentences(generated_count),
        total=generated_count,
        desc="generate",
        unit="sentence",
        leave=False,
        mininterval=2,
    ):
        if MIN_WORDS <= len(sentence.text.split()) <= MAX_SHORT_WORDS:
            generated.setdefault(sentence.text, None)
    long = long_sentences(generator, long_count)
    phrases = ding.ding_phrases(min_words=MIN_WORDS, max_words=MAX_SHORT_WORDS)
    examples = wordnet.example_sentences(min_words=MIN_WORDS, max_words=MAX_WORDS)
    natural = snippets.snippet_sentences(MIN_WORDS, MAX_WORDS) if with_snippets else []
    everyday = everyday_pairs(everyday_count, seed) if everyday_count else []
    held_out = heldout.english_keys()
    seen: set[str] = set()
    pairs: list[Pair] = []
    skipped = Counter()
    for source, items in (
        (OWN_SOURCE, everyday),
        ("generated", [(text, "") for text in generated]),
        ("long", [(text, "") for text in long]),
        ("ding", [(text, "") for text in phrases]),
        ("wordnet", [(text, "") for text in examples]),
        ("snippets", [(text, "") for text in natural]),
    ):
        for english, spanish in items:
            key = heldout.key(english)
            if key in held_out:
                skipped[source] += 1
            elif key not in seen:
                seen.add(key)
                pairs.append(Pair(english, source, spanish))
    facts = {
        "held_out_skipped": dict(skipped),
        "long_distinct": len(long),
        "wordnet_distinct": len(examples),
        "snippets_distinct": len(natural),
        "everyday_distinct": len(everyday),
        "lexicon_lemmas": len(lexicon.lemmas()),
        "lexicon_word_forms": len(lexicon.words()),
        "lexicon_nouns": len(lexicon.nouns),
        "lexicon_adjectives": len(lexicon.adjectives),
        "lexicon_verbs": len(lexicon.verbs),
        "lexicon_adverbs": len(lexicon.adverbs),
        "generated_raw": generated_count,
        "generated_distinct": len(generated),
        "ding_distinct": len(phrases),
    }
    return pairs, facts, lexicon.lemma_of_form()


Translations = dict[str, tuple[str, str]]  # english -> (spanish, round trip)


def read_translations(path: Path) -> Translations:
    """Apertium's translations kept from an earlier build (`english, spanish, round trip`)."""
    if not path.exists():
        return {}
    cached: Translations = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        english, spanish, back = ([*line.split("\t"), "", ""])[:3]
        cached[english] = (spanish, back)
    return cached


def translate_pairs(pairs: list[Pair], cached: Translations | None = None) -> Translations:
    """Fill in Spanish, the round trip back to English, and the round trip's scores, for the
    pairs whose Spanish is not already given. Apertium is deterministic, so translations in
    `cached` are reused; returns every translation, for the next build."""
    cached = dict(cached or {})
    pairs = [pair for pair in pairs if pair.source not in OWN_SOURCES]
    new = [pair for pair in pairs if pair.english not in cached]
    spanish = translate_all("eng-spa", [pair.english for pair in new])
    for pair, text in zip(new, spanish, strict=True):
        cached[pair.english] = (text, "")
    clean = [
        p for p in new if cached[p.english][0] and not UNKNOWN_MARKS.search(cached[p.english][0])
    ]
    back = translate_all("spa-eng", [cached[p.english][0] for p in clean], hide_unknown=True)
    for pair, text in zip(clean, back, strict=True):
        cached[pair.english] = (cached[pair.english][0], text)
    for pair in pairs:
        pair.spanish, pair.round_trip = cached[pair.english]
    scored = [pair for pair in pairs if pair.round_trip]
    judge_and_score(scored)
    return cached


def judge_and_score(pairs: list[Pair]) -> None:
    """Score each pair's round trip with a judge built from the words they use."""
    words = {word for pair in pairs for word in tokenize(pair.english) + tokenize(pair.round_trip)}
    judge = RoundTripJudge(bilingual_lemmas(), analyse_lemmas(sorted(words)))
    for pair in tqdm(pairs, desc="score", leave=False, mininterval=2):
        pair.score = judge.score(pair.english, pair.round_trip)
        pair.chrf = round_trip_score(pair.english, pair.round_trip)


def filter_pairs(pairs: list[Pair], threshold: float) -> tuple[list[Pair], list[tuple[Pair, str]]]:
    """Kept pairs, and dropped pairs with the reason (including repeated English or Spanish)."""
    kept: list[Pair] = []
    dropped: list[tuple[Pair, str]] = []
    seen: set[str] = set()
    for pair in pairs:
        reason = drop_reason(pair, threshold)
        if reason is None and pair.english.lower() in seen:
            reason = "duplicate"
        if reason is None:
            seen.add(pair.english.lower())
            kept.append(pair)
        else:
            dropped.append((pair, reason))
    return kept, dropped


def copied_pairs(kept: list[Pair], count: int, seed: int) -> list[Pair]:
    """Training pairs copied with other names and numbers (`copying.py`), training split only;
    none repeats a kept sentence or one of the held-out sets."""
    train = [(p.english, p.spanish) for p in kept if split_of(p.english) == "train"]
    taken = {heldout.key(p.english) for p in kept}
    return [
        Pair(e, COPYING_SOURCE, s, split="train")
        for e, s in swapped_copies(train, count, seed, taken)
    ]


def swapped_copies(
    train: list[tuple[str, str]], count: int, seed: int, taken: set[str]
) -> list[tuple[str, str]]:
    """Up to `count` copies of `train` pairs with other names and numbers (`copying.py`);
    none whose English is in `taken` (keys of `heldout.key`) or in a held-out set."""
    return list(_swapped(train, count, seed, taken))


def copy_checks(
    pairs: list[tuple[str, str]], count: int, seed: int, taken: set[str]
) -> list[heldout.HeldOutPair]:
    """`swapped_copies` of `pairs` as sentences to score a translator's copying on, each with
    the names and numbers it must copy (`heldout.copied_share`)."""
    copies = _swapped(pairs, count, seed, taken)
    return [heldout.HeldOutPair(e, s, required) for (e, s), required in copies.items()]


def _swapped(
    pairs: list[tuple[str, str]], count: int, seed: int, taken: set[str]
) -> dict[tuple[str, str], tuple[str, ...]]:
    if count <= 0:
        return {}
    from attnviz.training.everyday import wordnet_surnames

    # A word written in lower case somewhere (rose, Rose) is not a safe name.
    forbidden = {w for e, s in pairs for w in re.findall(r"\w+", f"{e} {s}") if w.islower()}
    taken = taken | heldout.english_keys()
    copies = copying.swapped_pairs(pairs, count, wordnet_surnames(), forbidden, seed)
    return {pair: values for pair, values in copies.items() if heldout.key(pair[0]) not in taken}


def write_atomically(path: Path, text: str) -> None:
    """Write text to path through a temporary file and a rename."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def write_corpus(out_dir: Path, kept: list[Pair], dropped: list[tuple[Pair, str]]) -> dict:
    """Write the three splits and the dropped pairs; return the count per split and source."""
    splits: dict[str, list[Pair]] = {"train": [], "valid": [], "test": []}
    for pair in kept:
        splits[pair.split or split_of(pair.english)].append(pair)
    counts: dict = {}
    for name, members in splits.items():
        write_atomically(
            out_dir / f"{name}.tsv", "".join(f"{p.english}\t{p.spanish}\n" for p in members)
        )
        counts[name] = len(members)
        counts[f"{name}_by_source"] = dict(Counter(p.source for p in members))
    lines = [
        f"{reason}\t{p.source}\t{p.score:.1f}\t{p.chrf:.1f}\t{p.english}\t{p.spanish}"
        f"\t{p.round_trip}\n"
        for p, reason in dropped
    ]
    write_atomically(out_dir / "dropped.tsv", "".join(lines))
    return counts


def score_histogram(pairs: list[Pair]) -> dict[str, dict[str, int]]:
    """How many round-tripped pairs of each source fall in each 5-point score band."""
    bands: dict[str, Counter[str]] = {}
    for pair in pairs:
        if pair.round_trip:
            low = min(int(pair.score // 5) * 5, 95)
            bands.setdefault(pair.source, Counter())[f"{low:03d}-{low + 5:03d}"] += 1
    return {source: dict(sorted(counts.items())) for source, counts in bands.items()}


def corpus_statistics(
    pairs: list[Pair],
    kept: list[Pair],
    dropped: list[tuple[Pair, str]],
    lemma_of_form: dict[str, str],
) -> dict:
    """Counts per source, drop counts per reason, and how many lexicon words the corpus uses."""
    generated_words = {
        word.lower() for p in kept if p.source == "generated" for word in p.english.split()
    }
    all_words = {word for p in kept for word in tokenize(p.english)}
    used_lemmas = {lemma_of_form[w] for w in generated_words | all_words if w in lemma_of_form}
    lengths = sorted(len(p.english.split()) for p in kept)
    return {
        "candidates_by_source": dict(Counter(p.source for p in pairs)),
        "kept_by_source": dict(Counter(p.source for p in kept)),
        "dropped": dict(Counter(reason for _, reason in dropped)),
        "dropped_by_source": {
            f"{reason}:{source}": n
            for (reason, source), n in Counter((r, p.source) for p, r in dropped).items()
        },
        "round_trip_score_histogram": score_histogram(pairs),
        "distinct_lexicon_lemmas_used": len(used_lemmas),
        "distinct_english_words": len(all_words),
        "english_words_median": lengths[len(lengths) // 2] if lengths else 0,
        "english_words_p10_p90": [lengths[len(lengths) // 10], lengths[len(lengths) * 9 // 10]]
        if lengths
        else [0, 0],
    }


def build_corpus(
    out_dir: Path,
    seed: int = 0,
    generated_count: int = GENERATED_COUNT,
    threshold: float = ROUND_TRIP_THRESHOLD,
    long_count: int = LONG_COUNT,
    everyday_count: int = EVERYDAY_COUNT,
    copying_count: int = COPYING_COUNT,
) -> dict:
    """Build the corpus into out_dir and return its statistics (also saved as stats.json)."""
    if generated_count < 0:
        raise ValueError(f"generated_count must be >= 0, got {generated_count}")
    if not 0 <= threshold <= 100:
        raise ValueError(f"threshold is a score in [0, 100], got {threshold}")
    started = time.monotonic()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pairs, facts, lemma_of_form = candidate_sentences(
        seed, generated_count, long_count, everyday_count
    )
    log.info("%d candidate sentences; translating", len(pairs))
    cache_path = out_dir / "apertium_cache.tsv"
    translations = translate_pairs(pairs, read_translations(cache_path))
    write_atomically(cache_path, "".join(f"{e}\t{s}\t{b}\n" for e, (s, b) in translations.items()))
    kept, dropped = filter_pairs(pairs, threshold)
    kept += copied_pairs(kept, copying_count, seed)
    reasons = Counter(reason for _, reason in dropped)
    for reason, count in reasons.most_common():
        examples = [p.english for p, r in dropped if r == reason][:3]
        log.info("dropped %d pairs (%s), e.g. %s", count, reason, examples)
    counts = write_corpus(out_dir, kept, dropped)
    stats = {"seed": seed, "round_trip_threshold": threshold, **counts, **facts}
    stats |= corpus_statistics(pairs, kept, dropped, lemma_of_form)
    stats["build_seconds"] = round(time.monotonic() - started, 1)
    write_atomically(out_dir / "stats.json", json.dumps(stats, indent=2, sort_keys=True) + "\n")
    return stats


def main() -> None:
    """Command line: python -m attnviz.training.corpus --out data/corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("data/corpus"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--generated",
        type=int,
        default=GENERATED_COUNT,
        help="how many sentences to generate before filtering",
    )
    parser.add_argument(
        "--long", type=int, default=LONG_COUNT, help="how many long sentences to generate"
    )
    parser.add_argument(
        "--everyday",
        type=int,
        default=EVERYDAY_COUNT,
        help="how many pairs of the bilingual everyday grammar (0: none)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=ROUND_TRIP_THRESHOLD,
        help="lowest round-trip word match (0-100) kept",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    stats = build_corpus(
        args.out, args.seed, args.generated, args.threshold, args.long, args.everyday
    )
    print(json.dumps({key: stats[key] for key in ("train", "valid", "test", "dropped")}))


if __name__ == "__main__":
    main()

"""Fast tests of the corpus pipeline: lexicon, generator, Ding cleaning, filter and split."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from attnviz.training import corpus, ding, grammar, lexicon
from attnviz.training.corpus import Pair, RoundTripJudge
from attnviz.training.lexicon import Lexicon, Noun, Verb

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or not lexicon.APERTIUM_DIR.exists(),
    reason="needs the Debian packages apertium and apertium-eng-spa",
)
needs_lt_print = pytest.mark.skipif(
    shutil.which("lt-print") is None or not lexicon.APERTIUM_DIR.exists(),
    reason="needs lt-print (Debian package lttoolbox-dev) and apertium-eng-spa",
)

GRAMMAR_FEATURES = {
    "singular", "plural", "pronoun", "negation", "question", "adjective", "two_adjectives",
    "adverb", "prepositional_phrase", "relative_clause", "possessive", "number", "present",
    "past", "future", "copula",
}  # fmt: skip


def tiny_lexicon() -> Lexicon:
    """A hand-made lexicon, so the generator tests need no Apertium."""
    nouns = [Noun(word, word + "s") for word in ("car", "house", "cat", "book", "table", "river")]
    verbs = [
        Verb("open", "opens", "opened", "opening", transitive=True),
        Verb("see", "sees", "saw", "seeing", transitive=True),
        Verb("arrive", "arrives", "arrived", "arriving", transitive=False),
    ]
    return Lexicon(
        nouns=tuple(nouns),
        adjectives=("red", "old", "big", "green"),
        verbs=tuple(verbs),
        adverbs=("quickly", "slowly"),
    )


def test_generator_is_deterministic_for_a_seed() -> None:
    first = [s.text for s in grammar.SentenceGenerator(tiny_lexicon(), seed=7).sentences(200)]
    again = [s.text for s in grammar.SentenceGenerator(tiny_lexicon(), seed=7).sentences(200)]
    other = [s.text for s in grammar.SentenceGenerator(tiny_lexicon(), seed=8).sentences(200)]
    assert first == again
    assert first != other


def test_generator_covers_the_grammar_features() -> None:
    sentences = list(grammar.SentenceGenerator(tiny_lexicon(), seed=0).sentences(2000))
    seen = Counter(feature for sentence in sentences for feature in sentence.features)
    assert set(seen) >= GRAMMAR_FEATURES, GRAMMAR_FEATURES - set(seen)
    assert seen["adjective"] + seen["two_adjectives"] > len(sentences) / 2  # reordering tests
    for sentence in sentences:
        assert sentence.text[0].isupper() and sentence.text[-1] in ".?"
    questions = [s for s in sentences if "question" in s.features]
    assert all(s.text.endswith("?") for s in questions)


def test_generator_rejects_an_empty_lexicon() -> None:
    with pytest.raises(ValueError, match="needs nouns"):
        grammar.SentenceGenerator(Lexicon((), (), (), ()))


@needs_lt_print
def test_lexicon_has_at_least_1500_words_from_the_dictionary() -> None:
    entries = lexicon.read_bilingual()
    assert {("car", "coche"), ("red", "rojo")} <= {(e.english, e.spanish) for e in entries}
    quota = {"n": 2000, "adj": 700, "vblex": 500, "adv": 300}  # a sample keeps the test fast
    chosen = {pos: [e.english for e in entries if e.pos == pos][:n] for pos, n in quota.items()}
    frequencies = {word: 2 for words in chosen.values() for word in words}
    built = lexicon.build_lexicon(frequencies, set(chosen["vblex"]), set(), core=grammar.CORE)
    assert len(built.lemmas()) >= 1500
    assert built.lemmas() <= {entry.english for entry in entries}
    assert "car" in {noun.singular for noun in built.nouns}


def test_ding_cleaning_removes_annotations_and_dictionary_notation() -> None:
    line = "the red car {n} [Br.] (of a person); to eat sth. | She is very tall. [coll.]"
    kept = [ding.clean_phrase(text) for text in ding.alternatives(line)]
    assert kept == ["the red car", None, "She is very tall."]
    assert ding.clean_phrase("two words") is None
    assert ding.clean_phrase(" ".join(["word"] * 21)) is None
    assert ding.is_sentence("She is very tall.") and not ding.is_sentence("the red car")


def test_filter_drops_unknown_words_and_bad_round_trips() -> None:
    good = Pair("The red car is old.", "ding", "El coche rojo es viejo.", "The red car is old.")
    good.score = 100.0
    unknown = Pair("The zorp is old.", "ding", "El *zorp es viejo.", "The zorp is old.", 100.0)
    strayed = Pair("The cat sleeps.", "ding", "Los sueños de gato.", "The sleeps of cat.", 40.0)
    assert corpus.drop_reason(good, 85.0) is None
    assert corpus.drop_reason(unknown, 85.0) == "unknown_word"
    assert corpus.drop_reason(strayed, 85.0) == "round_trip"
    kept, dropped = corpus.filter_pairs([good, unknown, strayed, good], 85.0)
    assert kept == [good]
    assert [reason for _, reason in dropped] == ["unknown_word", "round_trip", "duplicate"]


def test_judge_accepts_synonyms_and_possessives_but_not_a_scrambled_sentence() -> None:
    translations = {"child": {"niño"}, "boy": {"niño"}, "their": {"suyo"}, "his": {"suyo"}}
    lemmas = {"children": {"child"}, "boys": {"boy"}}
    judge = RoundTripJudge(translations, lemmas)
    assert judge.score("Their children sing.", "His boys sing.") == 100.0
    assert judge.score("My brother's car is red.", "The car of my brother is red.") == 100.0
    scrambled = judge.score(
        "The black cat sleeps on the red sofa.", "The sleeps of black cat in the red sofa."
    )
    assert scrambled < corpus.ROUND_TRIP_THRESHOLD


@needs_apertium
def test_apertium_round_trip_exposes_a_bad_translation() -> None:
    english = ["The black cat sleeps on the red sofa.", "The red car is old."]
    spanish = corpus.translate_lines("eng-spa", english)
    assert len(spanish) == 2 and "coche rojo" in spanish[1]
    back = corpus.translate_lines("spa-eng", spanish, hide_unknown=True)
    judge = RoundTripJudge({}, {})
    assert judge.score(english[0], back[0]) < corpus.ROUND_TRIP_THRESHOLD
    assert judge.score(english[1], back[1]) >= corpus.ROUND_TRIP_THRESHOLD


def test_translation_halves_a_batch_whose_line_count_changed(monkeypatch) -> None:
    def merges_batches(direction: str, lines: list[str], hide_unknown: bool) -> list[str] | None:
        return None if len(lines) > 1 or lines[0] == "bad" else [lines[0].upper()]

    monkeypatch.setattr(corpus, "apertium_lines", merges_batches)
    assert corpus.translate_lines("eng-spa", ["a", "bad", "c"]) == ["A", "", "C"]


def test_split_is_stable_by_hash() -> None:
    sentences = [f"Sentence number {i}." for i in range(20000)]
    splits = [corpus.split_of(text) for text in sentences]
    assert splits == [corpus.split_of(text) for text in sentences]
    assert corpus.split_of("The red car is old.") == corpus.split_of("The red car is old.")
    counts = Counter(splits)
    assert 0.015 < counts["test"] / len(sentences) < 0.025
    assert 0.015 < counts["valid"] / len(sentences) < 0.025
    reversed_splits = [corpus.split_of(text) for text in reversed(sentences)]
    assert reversed_splits == splits[::-1]  # order of arrival does not matter


def test_written_files_appear_whole(tmp_path: Path) -> None:
    pairs = [Pair("The red car.", "generated", "El coche rojo.", "The red car.", 100.0)]
    counts = corpus.write_corpus(tmp_path, pairs, [])
    assert counts["train"] + counts["valid"] + counts["test"] == 1
    lines = "".join((tmp_path / f"{name}.tsv").read_text() for name in ("train", "valid", "test"))
    assert lines == "The red car.\tEl coche rojo.\n"
    assert not list(tmp_path.glob("*.tmp"))


def test_build_corpus_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="threshold"):
        corpus.build_corpus(tmp_path, threshold=120.0)
    with pytest.raises(ValueError, match="generated_count"):
        corpus.build_corpus(tmp_path, generated_count=-1)


def test_long_sentences_have_20_to_40_words_and_mostly_several_clauses() -> None:
    generator = grammar.SentenceGenerator(tiny_lexicon(), seed=3)
    found = [s for s in (generator.long_sentence(20, 40) for _ in range(400)) if s is not None]
    assert len(found) > 50
    for sentence in found:
        assert 20 <= len(sentence.text.split()) <= 40
        assert sentence.text[0].isupper() and sentence.text.endswith(".")
    joined = [s for s in found if any(c.strip(", ") in s.text for c in grammar.CONNECTORS)]
    assert len(joined) > 0.8 * len(found)


def test_wordnet_examples_become_sentences() -> None:
    from attnviz.training import wordnet

    assert wordnet.tidy("the wind settled in the West") == "The wind settled in the West."
    assert wordnet.tidy("Have you memorized your lines?") == "Have you memorized your lines?"
    assert wordnet.tidy("sth. (informal) / etc") is None
    assert wordnet.tidy("a -- b") is None


def test_wordnet_examples_are_read_from_the_package(tmp_path: Path) -> None:
    from attnviz.training import wordnet

    for pos in wordnet.PARTS_OF_SPEECH:
        (tmp_path / f"data.{pos}").write_text(
            "  1 This software and database is being provided\n"
            '00001 03 n 01 dog 0 000 | a domestic animal; "the dog barked all night"; '
            '"dogs bark"\n',
            encoding="utf-8",
        )
    assert wordnet.example_sentences(tmp_path) == ["The dog barked all night."]
    with pytest.raises(FileNotFoundError, match="wordnet-base"):
        wordnet.example_sentences(tmp_path / "missing")


def test_held_out_sentences_never_become_candidates(monkeypatch) -> None:
    from attnviz.training import heldout

    held = heldout.read_set("everyday")[0]
    monkeypatch.setattr(corpus, "build_lexicon", lambda *a, **k: tiny_lexicon())
    monkeypatch.setattr(corpus.ding, "word_frequencies", lambda: {})
    monkeypatch.setattr(corpus.ding, "verb_frames", lambda: ({}, {}))
    monkeypatch.setattr(corpus.ding, "ding_phrases", lambda **k: [held.english.upper(), "A b c."])
    monkeypatch.setattr(corpus.wordnet, "example_sentences", lambda **k: ["A b c.", "D e f."])
    monkeypatch.setattr(corpus.snippets, "snippet_sentences", lambda *a: ["D e f.", "K l m."])
    monkeypatch.setattr(
        corpus,
        "everyday_pairs",
        lambda count, seed: [(held.english, held.spanish), ("G h i.", "j")],
    )
    pairs, facts, _ = corpus.candidate_sentences(0, 50, long_count=10, everyday_count=2)
    english = [heldout.key(p.english) for p in pairs]
    assert heldout.key(held.english) not in english
    assert facts["held_out_skipped"] == {"everyday": 1, "ding": 1}
    assert len(english) == len(set(english))  # "A b c." once, though two sources had it
    assert {p.source for p in pairs} >= {"everyday", "generated", "wordnet", "snippets"}
    assert next(p for p in pairs if p.english == "G h i.").spanish == "j"


def test_own_pairs_skip_the_round_trip_and_cached_translations_are_reused(monkeypatch) -> None:
    calls = []
    monkeypatch.setattr(
        corpus, "translate_all", lambda d, lines, *a, **k: calls.append(lines) or []
    )
    monkeypatch.setattr(corpus, "judge_and_score", lambda pairs: None)
    own = Pair("Open the window, please.", "everyday", "Abre la ventana, por favor.")
    known = Pair("The red car.", "generated")
    cached = corpus.translate_pairs(
        [own, known], {"The red car.": ("El coche rojo.", "The red car.")}
    )
    assert calls == [[], []]  # nothing left for Apertium
    assert known.spanish == "El coche rojo." and own.spanish == "Abre la ventana, por favor."
    assert corpus.drop_reason(own, 85.0) is None
    assert cached["The red car."] == ("El coche rojo.", "The red car.")

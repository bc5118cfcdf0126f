"""Tests of the everyday English-Spanish grammar: determinism, coverage, known translations."""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter

import pytest

from attnviz.training import everyday
from attnviz.training.lexicon import APERTIUM_DIR

pytestmark = pytest.mark.skipif(
    shutil.which("lt-proc") is None or not (APERTIUM_DIR / everyday.SPANISH_GENERATOR_BIN).exists(),
    reason="needs lt-proc and the Spanish generator of Debian's apertium-eng-spa",
)

SAMPLE = 4000


@pytest.fixture(scope="module")
def examples() -> list[tuple[str, str, str]]:
    return everyday.everyday_examples(SAMPLE, seed=7)


@pytest.fixture(scope="module")
def pairs(examples) -> list[tuple[str, str]]:
    return [(en, es) for en, es, _ in examples]


def test_count_distinct_and_deterministic(pairs) -> None:
    assert len(pairs) == SAMPLE
    assert len({en for en, _ in pairs}) == SAMPLE
    assert len(set(pairs)) == SAMPLE
    assert everyday.everyday_pairs(300, seed=7) == pairs[:300]
    assert everyday.everyday_pairs(300, seed=8) != pairs[:300]
    assert everyday.everyday_pairs(0) == []


def test_every_pattern_is_used(examples) -> None:
    counts = Counter(name for _, _, name in examples)
    assert set(counts) == set(everyday.PATTERNS)
    long_share = sum(
        everyday.LONG_MIN <= len(en.split()) <= everyday.LONG_MAX for en, _, _ in examples
    ) / len(examples)
    assert 0.15 <= long_share <= 0.35


def test_long_sentences_have_20_to_40_words(examples) -> None:
    long = [(en, es) for en, es, name in examples if name == "long"]
    assert long
    for en, _es in long:
        assert everyday.LONG_MIN <= len(en.split()) <= everyday.LONG_MAX, en
    joined = " ".join(en for en, _ in long)
    for word in (" who ", " that ", " because ", " but ", " while ", "When "):
        assert word in joined, word
    assert " que " in " ".join(es for _, es in long)


def test_no_apertium_marks_and_well_formed(pairs) -> None:
    for en, es in pairs:
        assert not re.search(r"[#*@<>^$]", es), es
        assert es[-1] in ".?!", es
        assert "  " not in en and "  " not in es
        assert en[0].isupper() or en[0].isdigit(), en
        assert es.lstrip("¿¡")[0].isupper() or es.lstrip("¿¡")[0].isdigit(), es


def test_questions_and_exclamations_open_in_spanish(pairs) -> None:
    questions = [(en, es) for en, es in pairs if en.endswith("?")]
    assert len(questions) > SAMPLE // 10
    for en, es in questions:
        assert es.endswith("?"), (en, es)
    for _en, es in pairs:
        # every Spanish question (and exclamation) opens with its inverted mark
        for segment in re.findall(r"[^.?!]*[.?!]", es):
            segment = segment.strip()
            if segment.endswith("?"):
                assert segment.startswith("¿"), es
            if segment.endswith("!"):
                assert segment.startswith("¡"), es
        assert es.count("¿") == es.count("?") and es.count("¡") == es.count("!"), es


def test_do_support_questions_and_contractions(pairs) -> None:
    english = [en for en, _ in pairs]
    for start in (
        "Do ",
        "Does ",
        "Did ",
        "Are ",
        "Is ",
        "Can ",
        "Where ",
        "What ",
        "Who ",
        "When ",
        "Why ",
        "How much ",
        "How many ",
    ):
        assert any(en.startswith(start) for en in english), start
    for contraction in (
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "can't",
        "won't",
        "I'm not",
        "'ll",
        "'re",
    ):
        assert any(contraction in en for en in english), contraction
    full = ("do not", "does not", "did not", "will not", "cannot", "is not")
    assert all(any(form in en for en in english) for form in full)


def test_negation_says_no(examples) -> None:
    negative = [(en, es) for en, es, _ in examples if re.search(r"n't\b| not\b|cannot", en)]
    assert len(negative) > SAMPLE // 10
    for en, es in negative:
        if "Not bad" in en or "Of course not" in en:
            continue
        assert re.search(r"\bno\b|\bNo\b", es), (en, es)


def test_imperatives(examples) -> None:
    imperatives = [(en, es) for en, es, name in examples if name == "imperative"]
    assert any(en.startswith("Don't ") and es.startswith("No ") for en, es in imperatives)
    assert any(
        en.startswith("Let's ") and es.startswith(("Vamos", "¡Vamos")) for en, es in imperatives
    )
    assert any(en.endswith(", please.") and es.endswith(", por favor.") for en, es in imperatives)
    assert any(en.startswith("Could you") and es.startswith("¿Podrías") for en, es in imperatives)


def test_digits_are_copied(pairs) -> None:
    with_numbers = [(en, es) for en, es in pairs if re.search(r"\d", en)]
    assert len(with_numbers) > SAMPLE // 25
    for en, es in with_numbers:
        assert sorted(re.findall(r"\d+", en)) == sorted(re.findall(r"\d+", es)), (en, es)
    years = [en for en, _ in with_numbers if re.search(r"\bin (1[89]|20)\d\d\b", en)]
    assert years
    assert any(" o'clock" in en for en, _ in with_numbers)


def test_names_are_copied(examples) -> None:
    g = everyday.grammar()
    first = {name for name, _ in g.first_names}
    named = [(en, es) for en, es, _ in examples if first & set(re.findall(r"[A-ZÀ-Ž][\w']+", en))]
    assert len(named) > SAMPLE // 20
    for en, es in named:
        for name in first & set(re.findall(r"[A-ZÀ-Ž][\w']+", en)):
            assert name in es, (name, en, es)


def test_name_lists_are_large_and_varied() -> None:
    g = everyday.grammar()
    assert len(g.first_names) + len(g.surnames) >= 400
    assert {gender for _, gender in g.first_names} == {"m", "f"}
    assert len(g.places) >= 60


def test_places_are_translated_by_the_table(pairs) -> None:
    table = {place.en: place.es for place in everyday.grammar().places}
    assert table["London"] == "Londres" and table["Berlin"] == "Berlín"
    seen = 0
    for en, es in pairs:
        for place, spanish in table.items():
            if re.search(rf"\b{re.escape(place)}\b", en) and place != spanish:
                if place in ("India", "China") or (place == "Chile"):
                    continue
                assert spanish in es, (place, en, es)
                seen += 1
    assert seen > 20


def test_noun_phrase_agreement() -> None:
    np = everyday.noun_phrase
    assert np("house", "the", plural=True, adjective="red").es == "las casas rojas"
    assert np("house", "the", plural=True, adjective="red").en == "the red houses"
    assert np("car", "a", adjective="red").es == "un coche rojo"
    assert np("apple", "a").en == "an apple"
    assert np("umbrella", "a").en == "an umbrella"
    assert np("university", "a").en == "a university"
    assert np("water", "the").es == "el agua"
    assert np("water", "the", adjective="cold").es == "el agua fría"
    assert np("truck", "the", plural=True, adjective="big").es == "los camiones grandes"
    assert np("pencil", "my", plural=True).es == "mis lápices"
    assert np("child", "our", plural=True).es == "nuestros niños"
    assert np("child", "our", plural=True).en == "our children"
    assert np("cat", number=1).es == "1 gato"
    assert np("cat", number=25).es == "25 gatos"
    assert np("flower", "this", plural=True, adjective="blue").es == "estas flores azules"
    assert np("umbrella", "the", plural=True).es == "los paraguas"


def test_spanish_finishing_rules() -> None:
    fin = everyday.finish_spanish
    assert fin("Vamos a el parque.") == "Vamos al parque."
    assert fin("La casa de el profesor.") == "La casa del profesor."
    assert fin("A el niño le gusta.") == "Al niño le gusta."
    assert fin("Viajó a El Salvador.") == "Viajó a El Salvador."
    assert fin("Anna y Isabel") == "Anna e Isabel"
    assert fin("pan y hielo") == "pan y hielo"
    assert fin("siete o ocho") == "siete u ocho"


def test_clitics_take_the_accent() -> None:
    assert everyday.attach_clitic("ayuda", "me") == "ayúdame"
    assert everyday.attach_clitic("llama", "me") == "llámame"
    assert everyday.attach_clitic("sigue", "me") == "sígueme"
    assert everyday.attach_clitic("recuerda", "lo") == "recuérdalo"
    assert everyday.attach_clitic("di", "me") == "dime"


def test_verb_groups_known_values() -> None:
    g = everyday.grammar()
    i, you, he, she, we, they = everyday.PRONOUNS
    help_ = g.verbs_by_es["ayudar"]
    go = g.verbs_by_es["ir"]
    group = everyday.es_verb_group
    assert group(i, "comer", "pres", False) == "como"
    assert group(she, "hablar", "pres", False) == "ella habla"
    assert group(she, "hablar", "pres", False, drop_he_she=True) == "habla"
    assert group(they, "ir", "past", True) == "no fueron"
    assert group(we, "ir", "prog", False) == "vamos"
    assert group(you, "hacer", "prog", False) == "estás haciendo"
    assert group(you, "ayudar", "can", False) + "me" == "puedes ayudarme"
    assert group(i, "querer", "pres", False, "te") == "te quiero"
    assert group(he, "tener", "have_to", True) == "él no tiene que tener"
    assert everyday.en_statement(she, help_, "pres", True, True) == "she doesn't help"
    assert everyday.en_statement(i, go, "prog", True, True) == "I'm not going"
    assert everyday.en_statement(they, go, "fut", False, True) == "they'll go"
    assert everyday.en_statement(we, go, "past", True, False) == "we did not go"
    assert everyday.en_question(she, help_, "pres") == "does she help"
    assert everyday.en_question(they, go, "past") == "did they go"
    assert everyday.en_question(you, go, "going") == "are you going to go"


def test_spanish_forms_from_the_generator() -> None:
    g = everyday.grammar()
    m = g.morph
    assert m.verb("vivir", "pri", ("p3", "sg")) == "vive"
    assert m.verb("tocar", "prs", ("p2", "sg")) == "toques"
    assert m.verb("abrir", "imp") == "abre"
    assert m.verb("ir", "ifi", ("p3", "pl")) == "fueron"
    assert m.verb("poder", "pri", ("p2", "sg")) == "puedes"
    assert m.verb("dormir", "ger") == "durmiendo"
    assert g.noun_by_en["pencil"].es_pl == "lápices"
    assert g.adjective_by_en["young"].forms == ("joven", "joven", "jóvenes", "jóvenes")


def test_regular_rules_match_the_generator() -> None:
    """Our fallback rules agree with Apertium on regular words (so a fallback is right)."""
    m = everyday.grammar().morph
    for lemma in ("hablar", "comer", "vivir", "cocinar", "beber", "escribir"):
        for tense in ("pri", "ifi", "fti", "pii"):
            for key in everyday.PERSONS:
                assert everyday._regular(lemma, tense, key) == m.verb(lemma, tense, key)
    for word, plural in (
        ("camión", "camiones"),
        ("lápiz", "lápices"),
        ("mesa", "mesas"),
        ("joven", "jóvenes"),
        ("paraguas", "paraguas"),
        ("sofá", "sofás"),
    ):
        assert everyday.spanish_plural_rule(word) == plural


def test_known_sentences_are_reachable() -> None:
    """Sentences the brief names come out of the grammar exactly."""
    found = {pair for pair in everyday.everyday_pairs(20000, seed=3)}
    english = {en: es for en, es in found}
    for en, es in (
        ("Thank you very much.", "Muchas gracias."),
        ("I'm sorry.", "Lo siento."),
        ("Happy birthday!", "¡Feliz cumpleaños!"),
        ("Do you speak English?", "¿Hablas inglés?"),
        ("I love you.", "Te quiero."),
    ):
        assert english.get(en) == es, en
    assert any(en.startswith("Hello, ") and es.startswith("¡Hola, ") for en, es in found)


def test_gustar_agrees_with_the_thing_liked() -> None:
    rng = random.Random(0)
    picker = everyday.Picker(rng)
    for _ in range(300):
        clause = everyday.gustar_clause(picker)
        en, es = clause.en, clause.es
        if re.search(r"\b(like|likes|liked|love|loves|loved) (the )?\w+s\b$", en) and "gust" in es:
            assert re.search(r"gustan|gustaron", es), (en, es)


def test_missing_lt_proc_gives_a_clear_error(monkeypatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="lt-proc"):
        everyday._run_generator(["vivir<pri><p3><sg>"], APERTIUM_DIR)


def test_bad_count() -> None:
    with pytest.raises(ValueError):
        everyday.everyday_pairs(-1)


def test_same_pairs_in_another_process(pairs) -> None:
    """No dependence on Python's per-process string hashing: a fresh process agrees."""
    import hashlib
    import os
    import subprocess
    import sys

    code = (
        "import hashlib; from attnviz.training.everyday import everyday_pairs; "
        "print(hashlib.sha1(repr(everyday_pairs(500, seed=7)).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()
    assert out == hashlib.sha1(repr(pairs[:500]).encode()).hexdigest()


def test_wordnet_surnames_keep_only_people(tmp_path) -> None:
    """Dated instances of people become surnames, unless the word names anything else."""
    header = "  1 This software and database is being provided ...\n"
    (tmp_path / "data.noun").write_text(
        header + "10954498 18 n 02 Einstein 0 Albert_Einstein 0 002 @i 10428004 n 0000 | physicist"
        " (1879-1955)  \n"
        + "11000001 18 n 01 London 0 001 @i 10428004 n 0000 | writer (1876-1916)  \n"
        + "11000002 18 n 01 Sunday 0 001 @i 10428004 n 0000 | evangelist (1862-1935)  \n"
        + "11000003 18 n 01 Rice 0 001 @i 10428004 n 0000 | writer (1892-1967)  \n"
        + "11000004 18 n 01 Unknown 0 001 @i 10428004 n 0000 | someone, no dates  \n"
        + "08000001 15 n 01 London 0 001 @i 08000000 n 0000 | capital city  \n"
        + "15000001 28 n 01 Sunday 0 001 @ 15000000 n 0000 | first day of the week  \n"
        + "07000001 13 n 01 rice 0 001 @ 07000000 n 0000 | grains  \n",
        encoding="latin-1",
    )
    assert everyday.wordnet_surnames(tmp_path) == ["Einstein"]
    assert everyday.wordnet_surnames(tmp_path / "missing") == []


def test_jobs_take_no_article_and_agree() -> None:
    jobs = {en: (m, f) for en, m, f in everyday._table(everyday.lex.PROFESSIONS)}
    checked = 0
    for en, es, _ in everyday.everyday_examples(3000, seed=11):
        match = re.fullmatch(r"(She|He)(?:'s| is) an? ([a-z ]+)\.", en)
        if match and match.group(2) in jobs:
            masc, fem = jobs[match.group(2)]
            job = fem if match.group(1) == "She" else masc
            assert es.lower().endswith(f"es {job}."), (en, es)
            checked += 1
    assert checked

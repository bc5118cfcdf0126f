"""Everyday English -> Spanish sentence pairs from a synchronous grammar written by hand.

Each template builds an English sentence and its Spanish translation together, so the Spanish
side is right by construction where a rule-based translator is weak: do-support questions,
negation and contractions, imperatives and requests, first and second person with dropped
subject pronouns, gustar/encantar, ser versus estar, numbers and names copied unchanged, and
long sentences made of coordinated, subordinate and relative clauses.

The words come from a lexicon of our own (`everyday_lexicon`); their Spanish inflections are
asked of Apertium's Spanish generator (`lt-proc -g`) once, in one batch, on first use, with
rules of our own where the generator has no form. Surnames are added from WordNet's instances
of people (Debian `wordnet-base`, WordNet licence) when it is installed.

    >>> pairs = everyday_pairs(1000, seed=0)   # 1000 distinct (English, Spanish) pairs

`everyday_examples` gives the same pairs with the name of the pattern that made each one (see
PATTERNS and their weights); about a fifth of the pairs are 20-40 words long. The output is the
same for the same seed in every process (nothing depends on Python's string hashing), and a
shorter list for a seed is a prefix of a longer one.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from attnviz.training import everyday_lexicon as lex
from attnviz.training.lexicon import APERTIUM_DIR, require_tool, run_lt_proc

SPANISH_GENERATOR_BIN = "eng-spa.autogen.bin"  # Spanish lemma<tags> -> surface form
WORDNET_DIR = Path("/usr/share/wordnet")

LONG_MIN, LONG_MAX = 20, 40  # words in a "long" sentence
PERSONS = (("p1", "sg"), ("p2", "sg"), ("p3", "sg"), ("p1", "pl"), ("p3", "pl"))
FINITE_TENSES = ("pri", "ifi", "fti", "pii", "prs", "cni")
VOWELS = "aeiouáéíóúü"
ACCENTED = str.maketrans("aeiou", "áéíóú")
UNACCENTED = str.maketrans("áéíóú", "aeiou")


# ---------------------------------------------------------------------------------------------
# Lexicon


@dataclass(frozen=True)
class Noun:
    """A bilingual noun: English singular/plural, Spanish singular/plural, gender, classes."""

    en: str
    en_pl: str | None  # None: a mass noun (no plural, no "a")
    es: str
    es_pl: str
    gender: str  # "m" or "f"
    classes: frozenset[str]
    el_fem: bool = False  # feminine, but "el"/"un" in the singular (el agua)

    @property
    def human(self) -> bool:
        return "person" in self.classes

    @property
    def mass(self) -> bool:
        return self.en_pl is None


@dataclass(frozen=True)
class Adjective:
    en: str
    forms: tuple[str, str, str, str]  # m sg, f sg, m pl, f pl
    copula: str  # "ser" or "estar"
    classes: frozenset[str]
    attributive: bool

    def es(self, gender: str, plural: bool) -> str:
        return self.forms[(2 if plural else 0) + (1 if gender == "f" else 0)]


@dataclass(frozen=True)
class Verb:
    base: str
    third: str
    past: str
    ger: str
    es: str  # Spanish infinitive
    objects: frozenset[str]  # noun classes of the object; empty: intransitive
    prep_en: str  # "to" in "go to"
    prep_es: str  # "a" in "ir a"
    flags: frozenset[str]

    @property
    def transitive(self) -> bool:
        return bool(self.objects) and "place" not in self.flags and not self.prep_en

    def takes(self, noun: Noun) -> bool:
        return bool(self.objects & noun.classes)


@dataclass(frozen=True)
class Place:
    en: str
    es: str
    kind: str  # "city" or "country"


@dataclass(frozen=True)
class Subject:
    """Who does it: a pronoun, a noun phrase or a name, with its person, number and gender."""

    en: str
    es: str
    person: int
    plural: bool
    gender: str
    pronoun: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (f"p{self.person}", "pl" if self.plural else "sg")

    @property
    def third_singular(self) -> bool:
        return self.person == 3 and not self.plural


@dataclass(frozen=True)
class NP:
    """A noun phrase in both languages."""

    en: str
    es: str
    gender: str
    plural: bool
    human: bool = False
    noun: Noun | None = None


PRONOUNS = (
    Subject("I", "yo", 1, False, "m", True),
    Subject("you", "tú", 2, False, "m", True),
    Subject("he", "él", 3, False, "m", True),
    Subject("she", "ella", 3, False, "f", True),
    Subject("we", "nosotros", 1, True, "m", True),
    Subject("they", "ellos", 3, True, "m", True),
)
# object pronouns: English subject -> (English object, Spanish direct-object clitic)
OBJECT_PRONOUNS = {
    "I": ("me", "me"),
    "you": ("you", "te"),
    "he": ("him", "lo"),
    "she": ("her", "la"),
    "we": ("us", "nos"),
    "they": ("them", "los"),
}
# indirect-object clitics for gustar/encantar, by person key
DATIVE = {
    ("p1", "sg"): "me",
    ("p2", "sg"): "te",
    ("p3", "sg"): "le",
    ("p1", "pl"): "nos",
    ("p3", "pl"): "les",
}


def _table(block: str) -> list[list[str]]:
    return [line.split("|") for line in block.strip().splitlines() if line.strip()]


def _english_plural(word: str) -> str:
    head, _, last = word.rpartition(" ")
    if last.endswith(("s", "x", "z", "ch", "sh")):
        plural = last + "es"
    elif last.endswith("y") and last[-2:-1] not in tuple(VOWELS):
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


def _strip_final_accent(word: str) -> str:
    """camión -> camion (before a plural or feminine ending moves the stress)."""
    for i in range(len(word) - 1, -1, -1):
        if word[i] in "áéíóú":
            if all(ch not in VOWELS for ch in word[i + 1 :]):
                return word[:i] + word[i].translate(UNACCENTED) + word[i + 1 :]
            break
    return word


def spanish_plural_rule(word: str) -> str:
    """Our own plural rule, for nouns and adjectives the generator cannot inflect."""
    head, sep, tail = word.partition(" ")  # "estación de tren": the head noun inflects
    if word[-1] in VOWELS:
        plural = word + "s"  # casa -> casas, sofá -> sofás, menú -> menús
    elif word.endswith("z"):
        plural = word[:-1] + "ces"
    elif word.endswith("s") and word[-2] not in "áéíóú" and len(word) > 3:
        plural = word  # paraguas, lunes
    elif sep:
        return spanish_plural_rule(head) + sep + tail
    else:
        plural = _strip_final_accent(word) + "es"
        if word.endswith("en") and not any(ch in "áéíóú" for ch in word):
            # joven -> jóvenes: the stress stays, now on the antepenult
            groups = _vowel_groups(word)
            if len(groups) >= 2:
                plural = _accent_group(word + "es", groups[-2])
    return plural


def _adjective_forms_rule(masc: str) -> tuple[str, str, str, str]:
    if masc.endswith("o"):
        fem = masc[:-1] + "a"
    elif masc.endswith(("és", "ón", "or")):
        fem = _strip_final_accent(masc) + "a"
    else:
        fem = masc
    return masc, fem, spanish_plural_rule(masc), spanish_plural_rule(fem)


# ---------------------------------------------------------------------------------------------
# Spanish morphology: one batch through Apertium's generator, then a dictionary.

_SPECIAL_FORMS = {
    # conditional and past subjunctive forms used in polite requests
    ("poder", "cni", ("p2", "sg")): "podrías",
    ("querer", "pis", ("p1", "sg")): "quisiera",
    ("gustar", "cni", ("p3", "sg")): "gustaría",
}


def _regular(lemma: str, tense: str, key: tuple[str, str] | None) -> str:
    """Regular conjugation of -ar/-er/-ir verbs: our fallback where the generator fails."""
    stem, ending = lemma[:-2], lemma[-2:]
    if lemma.endswith("ír"):  # reír
        stem, ending = lemma[:-2], "ir"
    ar = ending == "ar"
    idx = PERSONS.index(key) if key else 0
    table = {
        "pri": ("o", "as", "a", "amos", "an") if ar else ("o", "es", "e", "emos", "en"),
        "ifi": ("é", "aste", "ó", "amos", "aron") if ar else ("í", "iste", "ió", "imos", "ieron"),
        "pii": ("aba", "abas", "aba", "ábamos", "aban")
        if ar
        else ("ía", "ías", "ía", "íamos", "ían"),
        "prs": ("e", "es", "e", "emos", "en") if ar else ("a", "as", "a", "amos", "an"),
        "cni": ("ía", "ías", "ía", "íamos", "ían"),
    }
    if ending == "ir" and tense == "pri" and idx == 3:
        return stem + "imos"
    if tense == "fti":
        return lemma + ("é", "ás", "á", "emos", "án")[idx]
    if tense == "cni":
        return lemma + table["cni"][idx]
    if tense == "ger":
        return stem + ("ando" if ar else "iendo")
    if tense == "imp":
        return stem + ("a" if ar else "e")
    if tense == "inf":
        return lemma
    return stem + table[tense][idx]


class Morphology:
    """Spanish inflected forms for the lexicon, generated once and kept in memory."""

    def __init__(self, forms: dict[str, str]):
        self._forms = forms

    def verb(self, lemma: str, tense: str, key: tuple[str, str] | None = None) -> str:
        if tense == "inf":
            return lemma
        special = _SPECIAL_FORMS.get((lemma, tense, key))
        if special:
            return special
        form = self._forms.get(_verb_query(lemma, tense, key))
        return form if form else _regular(lemma, tense, key)

    def noun_plural(self, lemma: str, gender: str) -> str:
        return self._forms.get(f"{lemma}<n><{gender}><pl>") or spanish_plural_rule(lemma)

    def adjective(self, masc: str) -> tuple[str, str, str, str]:
        rule = _adjective_forms_rule(masc)
        got = []
        for i, (g, n) in enumerate((("m", "sg"), ("f", "sg"), ("m", "pl"), ("f", "pl"))):
            form = self._forms.get(f"{masc}<adj><{g}><{n}>") or self._forms.get(
                f"{masc}<adj><mf><{n}>"
            )
            got.append(form or rule[i])
        return tuple(got)  # type: ignore[return-value]


def _verb_query(lemma: str, tense: str, key: tuple[str, str] | None) -> str:
    if tense == "ger":
        return f"{lemma}<ger>"
    if tense == "imp":
        return f"{lemma}<imp><p2><sg>"
    assert key is not None
    return f"{lemma}<{tense}><{key[0]}><{key[1]}>"


AUX_VERBS = [
    "estar",
    "ser",
    "ir",
    "poder",
    "querer",
    "tener",
    "necesitar",
    "gustar",
    "encantar",
    "costar",
    "creer",
    "decir",
    "saber",
    "salir",
    "empezar",
    "abrir",
    "nacer",
    "hacer",
    "haber",
    "llamar",
]


def _generator_queries(
    noun_queries: list[str], adjectives: list[str], verb_lemmas: list[str]
) -> list[str]:
    """Every form the grammar may ask for: noun plurals, adjective forms, verb tenses."""
    queries = list(noun_queries)
    for adjective in adjectives:
        for g, n in (("m", "sg"), ("f", "sg"), ("m", "pl"), ("f", "pl")):
            queries.append(f"{adjective}<adj><{g}><{n}>")
        for n in ("sg", "pl"):
            queries.append(f"{adjective}<adj><mf><{n}>")
    for lemma in verb_lemmas:
        for tense in FINITE_TENSES:
            for key in PERSONS:
                queries.append(_verb_query(lemma, tense, key))
        queries += [_verb_query(lemma, "ger", None), _verb_query(lemma, "imp", None)]
    return queries


def _run_generator(queries: list[str], apertium_dir: Path) -> dict[str, str]:
    """Forms from Apertium's Spanish generator, in one lt-proc run; failed forms are left out.

    A verb is asked as a lexical, modal and copular verb (vblex, vbmod, vbser: poder is a
    vbmod, ser a vbser) and the first form the generator knows is kept.
    """
    binary = apertium_dir / SPANISH_GENERATOR_BIN
    require_tool("lt-proc")
    if not binary.exists():
        raise RuntimeError(f"no Spanish generator at {binary}: install Debian's apertium-eng-spa")
    verb_categories = ("vblex", "vbmod", "vbser")
    lines = []
    for query in queries:
        lemma, _, tags = query.partition("<")
        if "<adj>" in query or "<n>" in query:
            lines.append(f"^{query}$")
        else:
            for category in verb_categories:
                lines.append(f"^{lemma}<{category}><{tags}$")
    outputs = run_lt_proc("-g", binary, lines)
    forms: dict[str, str] = {}
    i = 0
    for query in queries:
        if "<adj>" in query or "<n>" in query:
            candidates = [outputs[i]]
            i += 1
        else:
            candidates = outputs[i : i + len(verb_categories)]
            i += len(verb_categories)
        for out in candidates:
            out = out.strip()
            if out and not any(mark in out for mark in "#*@<>^$"):
                forms[query] = out
                break
    return forms


# ---------------------------------------------------------------------------------------------
# The grammar's data, built once.


@dataclass(frozen=True)
class Grammar:
    nouns: tuple[Noun, ...]
    adjectives: tuple[Adjective, ...]
    verbs: tuple[Verb, ...]
    places: tuple[Place, ...]
    first_names: tuple[tuple[str, str], ...]  # (name, gender)
    surnames: tuple[str, ...]
    morph: Morphology

    @functools.cached_property
    def noun_by_en(self) -> dict[str, Noun]:
        return {noun.en: noun for noun in self.nouns}

    @functools.cached_property
    def adjective_by_en(self) -> dict[str, Adjective]:
        return {adjective.en: adjective for adjective in self.adjectives}

    def nouns_of(self, *classes: str) -> list[Noun]:
        """Nouns in any of the classes (cached: the generator asks this all the time)."""
        key = frozenset(classes)
        cached = self._nouns_of.get(key)
        if cached is None:
            cached = self._nouns_of[key] = [noun for noun in self.nouns if noun.classes & key]
        return cached

    @functools.cached_property
    def _nouns_of(self) -> dict[frozenset[str], list[Noun]]:
        return {}

    @functools.cached_property
    def animal_words(self) -> frozenset[str]:
        return frozenset(w for n in self.nouns if "animal" in n.classes for w in (n.en, n.en_pl))

    @functools.cached_property
    def verbs_by_es(self) -> dict[str, Verb]:
        return {verb.es: verb for verb in reversed(self.verbs)}

    def select(self, key: str, build: Callable[[], list]) -> list:
        """A cached list (of verbs, nouns ...) built once per key."""
        cached = self._selections.get(key)
        if cached is None:
            cached = self._selections[key] = build()
        return cached

    @functools.cached_property
    def _selections(self) -> dict[str, list]:
        return {}


def wordnet_surnames(wordnet_dir: Path = WORDNET_DIR) -> list[str]:
    """Single-word surnames of people in WordNet that are not also ordinary English words."""
    data = wordnet_dir / "data.noun"
    if not data.exists():
        return []
    common: set[str] = set()  # lowercase lemmas: brown, rice, cook ... are words too
    for pos in ("noun", "verb", "adj", "adv"):
        path = wordnet_dir / f"data.{pos}"
        if not path.exists():
            continue
        with path.open(encoding="latin-1") as handle:
            for line in handle:
                if line.startswith(" "):
                    continue  # the licence header
                fields = line.split(" ", 4 + 2 * 64)
                count = int(fields[3], 16)
                words = fields[4 : 4 + 2 * count : 2]
                if pos != "noun" or fields[1] != "18":
                    # a place, a day, a language ...: London is Jack London too, Sunday Billy
                    common.update(w.lower() for w in words)
                common.update(w.lower() for w in words if w[:1].islower())
    dated = re.compile(r"\(\d{3,4}-\d{3,4}\)")
    names: set[str] = set()
    with data.open(encoding="latin-1") as handle:
        for line in handle:
            fields = line.split(" ")
            if len(fields) < 5 or fields[1] != "18" or " @i " not in line:
                continue
            if not dated.search(line.partition(" | ")[2]):
                continue
            count = int(fields[3], 16)
            for k in range(count):
                word = fields[4 + 2 * k]
                if re.fullmatch(r"[A-Z][a-z]{2,11}", word) and word.lower() not in common:
                    names.add(word)
    return sorted(names)


@functools.lru_cache(maxsize=1)
def grammar() -> Grammar:
    """The lexicon with its Spanish forms (runs Apertium's generator once per process)."""
    noun_rows = _table(lex.NOUNS)
    adjective_rows = _table(lex.ADJECTIVES)
    verb_rows = _table(lex.VERBS)
    noun_queries = []
    for _en, en_pl, es, gender, _classes in noun_rows:
        if "/" not in es and en_pl != "-":
            noun_queries.append(f"{es}<n><{'f' if gender == 'fa' else gender}><pl>")
    verb_lemmas = sorted({row[1] for row in verb_rows} | set(AUX_VERBS))
    queries = _generator_queries(noun_queries, [row[1] for row in adjective_rows], verb_lemmas)
    morph = Morphology(_run_generator(queries, APERTIUM_DIR))

    nouns = []
    for en, en_pl, es, gender, classes in noun_rows:
        el_fem = gender == "fa"
        gender = "f" if el_fem else gender
        if "/" in es:
            es, es_pl = es.split("/")
        else:
            es_pl = morph.noun_plural(es, gender)
        plural = None if en_pl == "-" else (en_pl or _english_plural(en))
        nouns.append(Noun(en, plural, es, es_pl, gender, frozenset(classes.split()), el_fem))
    adjectives = [
        Adjective(en, morph.adjective(es), copula, frozenset(classes.split()), attr == "attr")
        for en, es, copula, classes, attr in adjective_rows
    ]
    verbs = []
    for forms, es, objects, prep_en, prep_es, flags in verb_rows:
        base, third, past, ger = forms.split(",")
        verbs.append(
            Verb(
                base, third, past, ger, es, frozenset(objects.split()), prep_en, prep_es,
                frozenset(flags.split()),
            )
        )  # fmt: skip
    places = [Place(*row) for row in _table(lex.PLACES)]
    first = []
    for line in lex.FIRST_NAMES.strip().splitlines():
        gender, _, names = line.partition(":")
        first += [(name, gender.strip()) for name in names.split()]
    surnames = list(dict.fromkeys(lex.SURNAMES.split()))
    known = set(surnames) | {name for name, _ in first}
    known |= {place.en for place in places}
    surnames += [name for name in wordnet_surnames() if name not in known]
    return Grammar(
        tuple(nouns), tuple(adjectives), tuple(verbs), tuple(places), tuple(first),
        tuple(surnames), morph,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------------
# Small pieces: noun phrases, accents, contractions.


def _vowel_groups(word: str) -> list[tuple[int, int]]:
    """(start, end) of each vowel group; the u of gue/gui/que/qui is silent."""
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(word):
        ch = word[i]
        silent_u = ch == "u" and i > 0 and word[i - 1] in "gq" and word[i + 1 : i + 2] in ("e", "i")
        if ch in VOWELS and not silent_u:
            j = i
            while j + 1 < len(word) and word[j + 1] in VOWELS:
                j += 1
            groups.append((i, j + 1))
            i = j + 1
        else:
            i += 1
    return groups


def _accent_group(word: str, group: tuple[int, int]) -> str:
    start, end = group
    part = word[start:end]
    strong = [k for k, ch in enumerate(part) if ch in "aeo"]
    k = strong[0] if strong else len(part) - 1
    pos = start + k
    return word[:pos] + word[pos].translate(ACCENTED) + word[pos + 1 :]


def attach_clitic(form: str, clitic: str) -> str:
    """Affirmative imperative + clitic, with the written accent the new stress needs.

    >>> attach_clitic("ayuda", "me")
    'ayúdame'
    """
    if any(ch in "áéíóú" for ch in form):
        return _strip_final_accent(form) + clitic if form[-1] in "áéíóú" else form + clitic
    groups = _vowel_groups(form)
    if len(groups) < 2:
        return form + clitic  # di -> dime, haz -> hazlo
    stressed = groups[-2] if form[-1] in VOWELS + "ns" else groups[-1]
    return _accent_group(form, stressed) + clitic


_CONTRACT = re.compile(r"\b([Aa]|[Dd]e) el\b")
_Y_TO_E = re.compile(r"\by (?=(?:[iIíÍ]|[hH][iIíÍ])(?![aeoáéó]))")
_O_TO_U = re.compile(r"\bo (?=[oOóÓ]|[hH][oOóÓ])")


def finish_spanish(text: str) -> str:
    """a el -> al, de el -> del, y -> e before an i sound, o -> u before an o sound."""

    def contract(match: re.Match) -> str:
        first = match.group(1)
        word = "al" if first.lower() == "a" else "del"
        return word.capitalize() if first[0].isupper() else word

    text = _CONTRACT.sub(contract, text)
    text = _Y_TO_E.sub("e ", text)
    return _O_TO_U.sub("u ", text)


def _an(word: str) -> str:
    lower = word.lower()
    if lower.startswith(("uni", "use", "eu", "one", "uk")):
        return "a"
    if lower.startswith(("hour", "honest")) or lower[:1] in "aeiou":
        return "an"
    return "a"


_DETERMINERS = {
    # English singular, English plural, Spanish m sg, f sg, m pl, f pl
    "the": ("the", "the", "el", "la", "los", "las"),
    "a": ("a", "some", "un", "una", "unos", "unas"),
    "this": ("this", "these", "este", "esta", "estos", "estas"),
    "that": ("that", "those", "ese", "esa", "esos", "esas"),
    "my": ("my", "my", "mi", "mi", "mis", "mis"),
    "your": ("your", "your", "tu", "tu", "tus", "tus"),
    "his": ("his", "his", "su", "su", "sus", "sus"),
    "her": ("her", "her", "su", "su", "sus", "sus"),
    "their": ("their", "their", "su", "su", "sus", "sus"),
    "our": ("our", "our", "nuestro", "nuestra", "nuestros", "nuestras"),
    "": ("", "", "", "", "", ""),
}


def noun_phrase(
    noun: Noun | str,
    det: str = "the",
    plural: bool = False,
    adjective: Adjective | str | None = None,
    number: int | None = None,
) -> NP:
    """A noun phrase in both languages, with the Spanish article and adjective in agreement.

    `det` is one of the, a, this, that, my, your, his, her, their, our, "" (none); `number`
    replaces the determiner by digits (1 gives a singular noun).

    >>> noun_phrase("house", "the", plural=True, adjective="red").es
    'las casas rojas'
    """
    g = grammar()
    if isinstance(noun, str):
        noun = g.noun_by_en[noun]
    if isinstance(adjective, str):
        adjective = g.adjective_by_en[adjective]
    if number is not None:
        plural = number != 1
    if noun.mass:
        plural = False
    en_noun = noun.en_pl if plural else noun.en
    es_noun = noun.es_pl if plural else noun.es
    en_words = [en_noun]
    es_words = [es_noun]
    if adjective is not None:
        en_words.insert(0, adjective.en)
        es_words.append(adjective.es(noun.gender, plural))
    if number is not None:
        en_det, es_det = str(number), str(number)
    else:
        row = _DETERMINERS[det]
        en_det = row[1] if plural else row[0]
        if en_det == "a":
            en_det = _an(en_words[0])
        index = 2 + (2 if plural else 0) + (1 if noun.gender == "f" else 0)
        es_det = row[index]
        if noun.el_fem and not plural and es_det in ("la", "una"):
            es_det = "el" if es_det == "la" else "un"
    en = " ".join(w for w in (en_det, *en_words) if w)
    es = " ".join(w for w in (es_det, *es_words) if w)
    return NP(en, es, noun.gender, plural, noun.human, noun)


def _cap(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha() or ch.isdigit():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


# ---------------------------------------------------------------------------------------------
# Verb phrases in both languages.

TENSES = ("pres", "past", "fut", "prog", "going", "can", "want", "have_to", "need")
STATIVE = {"have", "know", "understand", "remember", "see", "forget", "want"}


def _be(subj: Subject, past: bool = False) -> str:
    if past:
        return "was" if (subj.person != 2 and not subj.plural) else "were"
    if subj.person == 1 and not subj.plural:
        return "am"
    return "is" if subj.third_singular else "are"


def _be_statement(subj: Subject, neg: bool, contract: bool | int, past: bool = False) -> str:
    """'I'm not', 'she isn't', 'they are', 'he wasn't' ...

    `contract`: False for full forms, True for "she isn't", 2 for "she's not".
    """
    be = _be(subj, past)
    if past:
        if neg:
            return f"{subj.en} {be}n't" if contract else f"{subj.en} {be} not"
        return f"{subj.en} {be}"
    if contract and subj.pronoun:
        short = {"am": "'m", "is": "'s", "are": "'re"}[be]
        if neg:
            if be != "am" and contract != 2:
                return f"{subj.en} {be}n't"
            return f"{subj.en}{short} not"
        return f"{subj.en}{short}"
    if neg:
        return f"{subj.en} {be}n't" if (contract and be != "am") else f"{subj.en} {be} not"
    return f"{subj.en} {be}"


def en_statement(subj: Subject, verb: Verb, tense: str, neg: bool, contract: bool) -> str:
    """English subject + verb group: 'she doesn't eat', 'I'll go', 'we're not reading'."""
    s = subj.en
    if tense in ("pres", "want", "have_to", "need"):
        main = {"pres": None, "want": "want", "have_to": "have", "need": "need"}[tense]
        tail = "" if main is None else " to " + verb.base
        if neg:
            do = "does" if subj.third_singular else "do"
            aux = f"{do}n't" if contract else f"{do} not"
            return f"{s} {aux} {main or verb.base}{tail}"
        if main is None:
            return f"{s} {verb.third if subj.third_singular else verb.base}"
        third = {"want": "wants", "have": "has", "need": "needs"}[main]
        return f"{s} {third if subj.third_singular else main}{tail}"
    if tense == "past":
        if neg:
            return f"{s} {'didn' + chr(39) + 't' if contract else 'did not'} {verb.base}"
        return f"{s} {verb.past}"
    if tense == "fut":
        if neg:
            return f"{s} {'won' + chr(39) + 't' if contract else 'will not'} {verb.base}"
        if contract and subj.pronoun:
            return f"{s}'ll {verb.base}"
        return f"{s} will {verb.base}"
    if tense == "can":
        if neg:
            return f"{s} {'can' + chr(39) + 't' if contract else 'cannot'} {verb.base}"
        return f"{s} can {verb.base}"
    if tense == "prog":
        return f"{_be_statement(subj, neg, contract)} {verb.ger}"
    if tense == "pastprog":
        return f"{_be_statement(subj, neg, contract, past=True)} {verb.ger}"
    if tense == "going":
        return f"{_be_statement(subj, neg, contract)} going to {verb.base}"
    raise ValueError(f"unknown tense {tense!r}")


def en_question(subj: Subject, verb: Verb, tense: str, neg: bool = False) -> str:
    """Inverted English verb group without the wh-word: 'do you eat', 'did she go'."""
    s = subj.en
    n = "n't" if neg else ""
    if tense in ("pres", "want", "have_to", "need"):
        do = "Does" if subj.third_singular else "Do"
        tail = {"pres": verb.base, "want": "want to ", "have_to": "have to ", "need": "need to "}
        rest = tail[tense] + (verb.base if tense != "pres" else "")
        return f"{do.lower()}{n} {s} {rest}"
    if tense == "past":
        return f"did{n} {s} {verb.base}"
    if tense == "fut":
        return f"{'won' + chr(39) + 't' if neg else 'will'} {s} {verb.base}"
    if tense == "can":
        return f"can{n} {s} {verb.base}"
    be = _be(subj)
    if neg and be == "am":
        be, n = "aren't", ""  # "aren't I"
    if tense == "prog":
        return f"{be}{n} {s} {verb.ger}"
    if tense == "going":
        return f"{be}{n} {s} going to {verb.base}"
    raise ValueError(f"unknown tense {tense!r}")


def es_verb_group(
    subj: Subject, lemma: str, tense: str, neg: bool, clitic: str = "", drop_he_she: bool = False
) -> str:
    """Spanish subject (if said) + verb group, with 'no' and the object clitic in place."""
    m = grammar().morph
    key = subj.key
    if lemma in ("ir", "venir") and tense == "prog":
        tense = "pres"  # "I'm going to the park" -> "Voy al parque"
    if lemma in ("ir", "venir") and tense == "pastprog":
        tense = "pii"
    chains = {
        "pres": ("", lemma, "pri"),
        "past": ("", lemma, "ifi"),
        "fut": ("", lemma, "fti"),
        "pii": ("", lemma, "pii"),
        "prog": ("estar", lemma, "ger"),
        "pastprog": ("estar|pii", lemma, "ger"),
        "going": ("ir", lemma, "inf"),
        "can": ("poder", lemma, "inf"),
        "want": ("querer", lemma, "inf"),
        "have_to": ("tener", lemma, "inf"),
        "need": ("necesitar", lemma, "inf"),
    }
    aux, main, form = chains[tense]
    words: list[str] = []
    if subj.pronoun:
        if subj.person == 3 and not subj.plural and not drop_he_she and subj.es:
            words.append(subj.es)
    else:
        words.append(subj.es)
    if neg:
        words.append("no")
    if not aux:
        if clitic:
            words.append(clitic)
        words.append(m.verb(main, form, key))
        return " ".join(words)
    aux_lemma, _, aux_tense = aux.partition("|")
    if form == "ger":
        if clitic:
            words.append(clitic)
        words += [m.verb(aux_lemma, aux_tense or "pri", key), m.verb(main, "ger")]
        return " ".join(words)
    words.append(m.verb(aux_lemma, "pri", key))
    if tense == "going":
        words.append("a")
    if tense == "have_to":
        words.append("que")
    words.append(main + clitic)
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Random choices over the lexicon.


class Picker:
    """Seeded random choices of words, phrases and subjects."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.g = grammar()
        # plain: the short core sentence, no adjectives, adverbials or company ("I like coffee.")
        self.plain = False

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def extra(self, p: float) -> bool:
        """Whether to add an optional part (an adverbial ...): never in a plain sentence."""
        return not self.plain and self.rng.random() < p

    def contract(self) -> bool | int:
        """Full English forms (False), contractions (True), or "she's not" style (2)."""
        r = self.rng.random()
        return False if r < 0.4 else (True if r < 0.8 else 2)

    def choice(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def name(self, full: float = 0.3) -> tuple[str, str]:
        first, gender = self.choice(self.g.first_names)
        if self.chance(0.0 if self.plain else full):
            first = f"{first} {self.choice(self.g.surnames)}"
        return first, gender

    def place(self, kind: str | None = None) -> Place:
        places = self.g.select(
            f"places:{kind}", lambda: [p for p in self.g.places if kind is None or p.kind == kind]
        )
        return self.choice(places)

    def adjective_for(self, noun: Noun, attributive: bool = True, copula: str | None = None):
        def build() -> list[Adjective]:
            cls = set(noun.classes) | ({"human"} if noun.human else set())
            return [
                a
                for a in self.g.adjectives
                if a.classes & cls
                and (a.attributive or not attributive)
                and (copula is None or a.copula == copula)
            ]

        options = self.g.select(f"adj:{noun.en}:{attributive}:{copula}", build)
        return self.choice(options) if options else None

    def np(
        self,
        classes: frozenset[str] | set[str] | tuple[str, ...],
        dets=("the", "the", "a", "my", "your", "this", "that", "his", "her", "our", "their"),
        adjective: float = 0.3,
        plural: float = 0.3,
        bare: float = 0.0,
        number: float = 0.0,
    ) -> NP:
        if self.plain:
            adjective = number = 0.0
        nouns = self.g.nouns_of(*classes)
        noun = self.choice(nouns)
        adj = self.adjective_for(noun) if self.chance(adjective) else None
        if not noun.mass and self.chance(number):
            return noun_phrase(noun, adjective=adj, number=self.number())
        pl = (not noun.mass) and "one" not in noun.classes and self.chance(plural)
        if self.chance(bare) and (pl or noun.mass):
            return noun_phrase(noun, "", pl, adj)
        det = self.choice(dets)
        if det == "a" and noun.mass:
            det = "the"
        if det in ("my", "your", "his", "her", "our", "their") and noun.en in ("man", "woman"):
            det = self.choice(("the", "that", "this"))
        if det in ("my", "your", "his", "her", "our", "their") and not (
            noun.human
            or "thing" in noun.classes
            or "clothing" in noun.classes
            or "vehicle" in noun.classes
            or "pet" in noun.classes
            or "room" in noun.classes
        ):
            det = "the"  # fmt: skip
        if det in ("my", "your", "his", "her", "our", "their") and self.chance(
            0.0 if self.plain else 0.12
        ):
            return self.owned(noun, pl, adj)
        return noun_phrase(noun, det, pl, adj)

    def owned(self, noun: Noun, plural: bool, adjective: Adjective | None) -> NP:
        """English 's: "my brother's car" / "el coche de mi hermano", "Anna's keys"."""
        if self.chance(0.5):
            owner_en, _ = self.name(0.2)
            owner_es = owner_en
            genitive = owner_en + ("'" if owner_en.endswith("s") else "'s")
        else:
            owner_noun = self.choice(self.g.nouns_of("kin", "person"))
            owner_plural = "one" not in owner_noun.classes and self.chance(0.2)
            owner = noun_phrase(owner_noun, self.choice(("my", "your", "the", "our")), owner_plural)
            owner_en, owner_es = owner.en, owner.es
            genitive = owner_en + ("'" if owner_plural and owner_en.endswith("s") else "'s")
        base = noun_phrase(noun, "the", plural, adjective)
        en = _join(genitive, adjective.en if adjective else "", noun.en_pl if plural else noun.en)
        return NP(en, f"{base.es} de {owner_es}", base.gender, base.plural, noun.human, noun)

    def number(self) -> int:
        r = self.rng.random()
        if r < 0.05:
            return 1
        if r < 0.6:
            return self.rng.randint(2, 20)
        if r < 0.9:
            return self.rng.randint(21, 999)
        return self.rng.randint(1000, 9999)

    def subject(self, pronoun: float = 0.6, animal: bool = False, name: float = 0.15) -> Subject:
        if self.plain:
            pronoun = max(pronoun, 0.75)
        r = self.rng.random()
        if r < pronoun:
            chosen = self.choice(PRONOUNS)
            if chosen.en in ("he", "she") and self.chance(0.7):
                # Spanish drops él/ella too, unless for contrast or clarity
                return Subject(chosen.en, "", 3, False, chosen.gender, True)
            return chosen
        if r < pronoun + name:
            if self.chance(0.15):
                (a, ga), (b, gb) = self.name(0.1), self.name(0.1)
                if a == b:
                    return Subject(a, a, 3, False, ga)
                gender = "f" if ga == gb == "f" else "m"
                return Subject(f"{a} and {b}", f"{a} y {b}", 3, True, gender)
            n, g = self.name()
            return Subject(n, n, 3, False, g)
        classes = ("animal",) if animal and self.chance(0.5) else ("person",)
        np = self.np(classes, dets=("the", "my", "your", "his", "her", "our", "their"))
        return Subject(np.en, np.es, 3, np.plural, np.gender)

    def human_object(self) -> NP:
        if self.chance(0.35):
            n, g = self.name()
            return NP(n, n, g, False, True)
        return self.np(("person",), dets=("the", "my", "your", "his", "her", "our", "their"))


# ---------------------------------------------------------------------------------------------
# Adverbials: (English, Spanish), by the tense they suit.

DAYS = [
    ("Monday", "lunes"),
    ("Tuesday", "martes"),
    ("Wednesday", "miércoles"),
    ("Thursday", "jueves"),
    ("Friday", "viernes"),
    ("Saturday", "sábado"),
    ("Sunday", "domingo"),
]
PAST_TIMES = [
    ("yesterday", "ayer"),
    ("last night", "anoche"),
    ("last week", "la semana pasada"),
    ("last month", "el mes pasado"),
    ("last year", "el año pasado"),
    ("last summer", "el verano pasado"),
    ("this morning", "esta mañana"),
    ("yesterday afternoon", "ayer por la tarde"),
]
PRESENT_TIMES = [
    ("every day", "todos los días"),
    ("every morning", "todas las mañanas"),
    ("every week", "todas las semanas"),
    ("every summer", "todos los veranos"),
    ("in the morning", "por la mañana"),
    ("in the afternoon", "por la tarde"),
    ("in the evening", "por la noche"),
    ("at night", "por la noche"),
    ("at the weekend", "el fin de semana"),
    ("on weekends", "los fines de semana"),
    ("twice a week", "dos veces por semana"),
]
FUTURE_TIMES = [
    ("tomorrow", "mañana"),
    ("tomorrow morning", "mañana por la mañana"),
    ("tomorrow evening", "mañana por la noche"),
    ("next week", "la semana que viene"),
    ("next month", "el mes que viene"),
    ("next year", "el año que viene"),
    ("next summer", "el verano que viene"),
    ("tonight", "esta noche"),
    ("soon", "pronto"),
    ("later", "más tarde"),
]
SOON_TIMES = [  # for requests and "let's"
    ("now", "ahora"),
    ("right now", "ahora mismo"),
    ("today", "hoy"),
    ("this afternoon", "esta tarde"),
    ("tonight", "esta noche"),
    ("later", "más tarde"),
    ("tomorrow", "mañana"),
]
PROGRESSIVE_TIMES = [
    ("now", "ahora"),
    ("right now", "ahora mismo"),
    ("today", "hoy"),
    ("at the moment", "en este momento"),
    ("this week", "esta semana"),
]
COMPANY = [
    ("with my friends", "con mis amigos"),
    ("with my family", "con mi familia"),
    ("with her mother", "con su madre"),
    ("with his father", "con su padre"),
    ("with our children", "con nuestros hijos"),
    ("with my sister", "con mi hermana"),
    ("with your brother", "con tu hermano"),
    ("with their grandparents", "con sus abuelos"),
    ("together", "juntos"),
]


def _clock(p: Picker) -> tuple[str, str]:
    hour = p.rng.randint(1, 12)
    es_article = "la" if hour == 1 else "las"
    if p.chance(0.3):
        minutes = p.choice(["15", "30", "45", "10", "20", "05"])
        return f"at {hour}:{minutes}", f"a {es_article} {hour}:{minutes}"
    return f"at {hour} o'clock", f"a {es_article} {hour}"


def time_adverbial(p: Picker, tense: str, simple: bool = False) -> tuple[str, str]:
    """A time expression that suits the tense; `simple` keeps to words (no years, no clock)."""
    if simple:
        return p.choice(SOON_TIMES)
    r = p.rng.random()
    if tense in ("past", "pastprog"):
        if r < 0.15:
            year = p.rng.randint(1800, 2025)
            return f"in {year}", f"en {year}"
        if r < 0.3:
            n = p.rng.randint(2, 30)
            unit = p.choice([("days", "días"), ("weeks", "semanas"), ("years", "años")])
            return f"{n} {unit[0]} ago", f"hace {n} {unit[1]}"
        if r < 0.4:
            en, es = p.choice(DAYS)
            return f"on {en}", f"el {es}"
        if r < 0.5:
            return _clock(p)
        return p.choice(PAST_TIMES)
    if tense in ("fut", "going"):
        if r < 0.12:
            year = p.rng.randint(2027, 2099)
            return f"in {year}", f"en {year}"
        if r < 0.25:
            n = p.rng.randint(2, 30)
            unit = p.choice([("days", "días"), ("weeks", "semanas"), ("years", "años")])
            return f"in {n} {unit[0]}", f"dentro de {n} {unit[1]}"
        if r < 0.35:
            en, es = p.choice(DAYS)
            return f"on {en}", f"el {es}"
        if r < 0.45:
            return _clock(p)
        return p.choice(FUTURE_TIMES)
    if tense == "prog":
        return p.choice(PROGRESSIVE_TIMES)
    if r < 0.2:
        en, es = p.choice(DAYS)
        return f"on {en}s", f"los {es}" if es.endswith("s") else f"los {es}s"
    if r < 0.3:
        return _clock(p)
    return p.choice(PRESENT_TIMES)


INTRANSITIVE_PLACES = {  # where an intransitive verb happens, by noun class
    "dormir": ("room",),
    "correr": ("outdoor",),
    "caminar": ("outdoor",),
    "nadar": ("water",),
    "bailar": ("room", "event"),
    "saltar": ("outdoor",),
    "descansar": ("room", "outdoor"),
    "llorar": ("room", "place"),
    "reír": ("room", "place"),
    "esperar": ("place",),
    "trabajar": ("place",),
}
CITY_OK = {"bailar", "caminar", "correr", "descansar", "trabajar", "esperar"}


def location(p: Picker, kinds=("room", "outdoor", "place"), cities: bool = True) -> tuple[str, str]:
    """'in the kitchen' / 'en la cocina', 'at the bank' / 'en el banco', 'in London'."""
    if cities and p.chance(0.3):
        place = p.place()
        return f"in {place.en}", f"en {place.es}"
    noun = p.choice(p.g.nouns_of(*kinds))
    np = noun_phrase(noun, "the")
    prep = "in" if {"room", "outdoor", "water"} & noun.classes else "at"
    if "event" in noun.classes:
        prep = "at"
    if noun.en in ("beach", "river", "lake") or "water" in noun.classes:
        prep = "at" if noun.en == "beach" else "in"
    return f"{prep} {np.en}", f"en {np.es}"


def thing_location(p: Picker) -> tuple[str, str]:
    """Where a thing is: on the table, under the bed, next to the door, in the box ..."""
    preps = [
        ("on", "en", ("surface",)),
        ("under", "debajo de", ("furniture",)),
        ("next to", "al lado de", ("furniture", "fixed")),
        ("behind", "detrás de", ("furniture", "fixed")),
        ("in", "en", ("room",)),
        ("in", "dentro de", ("container",)),
    ]
    en_prep, es_prep, classes = p.choice(preps)
    noun = p.choice(p.g.nouns_of(*classes))
    det = "the" if "room" in noun.classes else p.choice(["the", "the", "my", "your"])
    np = noun_phrase(noun, det)
    return f"{en_prep} {np.en}", f"{es_prep} {np.es}"


# ---------------------------------------------------------------------------------------------
# Clauses: (English, Spanish) without the capital letter and the final stop.

LANGUAGES = [
    ("English", "inglés"),
    ("Spanish", "español"),
    ("French", "francés"),
    ("German", "alemán"),
    ("Italian", "italiano"),
    ("Chinese", "chino"),
    ("Japanese", "japonés"),
    ("Portuguese", "portugués"),
    ("Russian", "ruso"),
    ("Arabic", "árabe"),
]
DO = Verb("do", "does", "did", "doing", "hacer", frozenset(), "", "", frozenset())
SINGLE_TENSE_VERBS = {"querer", "necesitar", "tener", "conocer", "odiar"}  # no want to want
PAST_IMPERFECT = {"tener", "conocer", "querer", "odiar", "necesitar"}  # had -> tenía


@dataclass
class Clause:
    en: str
    es: str
    subject: Subject | None = None
    tense: str = "pres"  # pres, past, fut ... (what a following "while" clause agrees with)


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _spanish_tense(verb_es: str, tense: str) -> str:
    if tense == "past" and verb_es in PAST_IMPERFECT:
        return "pii"
    return tense


def _pick_tense(p: Picker, verb: Verb, allowed=TENSES) -> str:
    tenses = list(allowed)
    if verb.es in SINGLE_TENSE_VERBS:
        tenses = [t for t in tenses if t in ("pres", "past", "fut")] or ["pres"]
    if verb.base.split()[0] in STATIVE:
        tenses = [t for t in tenses if t != "prog"] or ["pres"]
    return p.choice(tenses)


IMPERATIVE_DETS = ("the", "the", "the", "your", "this", "that", "my", "our")


def verb_object(
    p: Picker, verb: Verb, subj: Subject, clitic_ok: bool = True, dets: tuple[str, ...] = ()
):
    """(English object, Spanish object, Spanish clitic) for a verb, or all empty.

    `dets` narrows the determiners of a noun object ("the window" in a request, not "a")."""
    if not verb.objects:
        return "", "", ""
    if "place" in verb.flags:
        prep_en = verb.prep_en
        if verb.es in ("ir", "venir", "llegar") and p.chance(0.08):
            return "home", "a casa", ""
        if "city" in verb.objects or p.chance(0.4):
            place = p.place()
            if verb.es in ("llegar",):
                prep_en = "in"
            return f"{prep_en} {place.en}", f"{verb.prep_es} {place.es}", ""
        noun = p.choice(
            [n for n in p.g.nouns_of("place") if "room" not in n.classes or verb.es == "ir"]
        )
        if verb.es in ("trabajar",):
            prep_en = "in" if {"outdoor", "room"} & noun.classes else "at"
        np = noun_phrase(
            noun,
            p.choice(["the", "the", "the", "my", "your", "our"])
            if noun.en in ("house", "room", "school", "office", "garden")
            else "the",
        )
        return f"{prep_en} {np.en}", f"{verb.prep_es} {np.es}", ""
    if "language" in verb.objects and (len(verb.objects) == 1 or p.chance(0.6)):
        en, es = p.choice(LANGUAGES)
        return en, es, ""
    if "city" in verb.objects and p.chance(0.4):
        place = p.place()
        return place.en, place.es, ""
    if "person" in verb.objects and (verb.objects == {"person"} or p.chance(0.5)):
        if "clitic" in verb.flags and clitic_ok and not verb.prep_es and p.chance(0.4):
            others = [q for q in PRONOUNS if q.person != subj.person or subj.person == 3]
            other = p.choice(others)
            if other.en == subj.en:
                other = p.choice([q for q in PRONOUNS if q.person == 3 and q.en != subj.en])
            en_obj, clitic = OBJECT_PRONOUNS[other.en]
            return en_obj, "", clitic
        obj = p.human_object()
        prep = verb.prep_es or ("a" if "clitic" in verb.flags else "")
        return obj.en, _join(prep, obj.es), ""
    classes = verb.objects - {"person", "language", "city"}
    if not classes:
        obj = p.human_object()
        return obj.en, _join(verb.prep_es or "a", obj.es), ""
    if dets:
        obj = p.np(classes, dets=dets, bare=0.15, adjective=0.2)
    else:
        obj = p.np(classes, bare=0.35, number=0.06, adjective=0.3)
    return obj.en, _join(verb.prep_es, obj.es), ""


def _verbs(p: Picker, animal_subject: bool = False) -> list[Verb] | tuple[Verb, ...]:
    if animal_subject:
        return p.g.select(
            "animal verbs", lambda: [v for v in p.g.verbs if "subj=animal" in v.flags]
        )
    return p.g.verbs


def statement(
    p: Picker,
    tense: str | None = None,
    neg: bool | None = None,
    subj: Subject | None = None,
    adverbial: float = 0.5,
    allowed=TENSES,
) -> Clause:
    """A statement clause: subject, verb group (any tense), object or place, adverbials."""
    subj = subj or p.subject(animal=True)
    animal = not subj.pronoun and not p.g.animal_words.isdisjoint(subj.en.split())
    verb = p.choice(_verbs(p, animal))
    tense = tense or _pick_tense(p, verb, allowed)
    if verb.es in SINGLE_TENSE_VERBS and tense not in ("pres", "past", "fut", "pastprog"):
        tense = "pres"
    if tense in ("prog", "pastprog") and verb.base.split()[0] in STATIVE:
        tense = "pres" if tense == "prog" else "past"
    neg = p.chance(0.25) if neg is None else neg
    contract = p.contract()
    en_obj, es_obj, clitic = verb_object(p, verb, subj)
    en = en_statement(subj, verb, tense, neg, contract).strip()
    es = es_verb_group(subj, verb.es, _spanish_tense(verb.es, tense), neg, clitic)
    if tense in ("can", "want", "have_to", "need", "going") and clitic:
        es = es_verb_group(subj, verb.es, tense, neg, "") + clitic
    if p.plain:
        adverbial = 0.0
    if tense == "pres" and not neg and not p.plain and p.chance(0.15):
        en, es = _with_frequency(p, subj, verb, clitic)
        adverbial = 0.0  # not "always ... every week"
    en, es = _join(en, en_obj), _join(es, es_obj)
    if not verb.objects and verb.es in INTRANSITIVE_PLACES and p.chance(0.2 if p.plain else 0.5):
        loc_en, loc_es = location(p, INTRANSITIVE_PLACES[verb.es], cities=verb.es in CITY_OK)
        en, es = _join(en, loc_en), _join(es, loc_es)
    if not p.plain and p.chance(0.15):
        c_en, c_es = p.choice(COMPANY)
        if not (c_en == "together" and not subj.plural):
            en, es = _join(en, c_en), _join(es, c_es)
    if p.chance(adverbial):
        t_en, t_es = time_adverbial(p, tense)
        if p.chance(0.2) and not en.startswith(("I ", "I'")):
            en = f"{t_en}, {en[0].lower() + en[1:] if subj.pronoun else en}"
            es = f"{t_es} {es}"
        elif p.chance(0.2):
            en = f"{t_en}, {en}"
            es = f"{t_es} {es}"
        else:
            en, es = _join(en, t_en), _join(es, t_es)
    return Clause(en, es, subj, tense)


PUBLIC_PLACES = [
    "bank",
    "restaurant",
    "pharmacy",
    "supermarket",
    "hotel",
    "museum",
    "library",
    "bakery",
    "cinema",
    "hospital",
    "park",
    "market",
    "gym",
    "shop",
    "bus stop",
    "train station",
    "swimming pool",
]
FREQUENCY = [
    ("always", "siempre"),
    ("usually", "normalmente"),
    ("often", "a menudo"),
    ("sometimes", "a veces"),
    ("never", "nunca"),  # Spanish nunca before the verb needs no "no"
]


def _with_frequency(p: Picker, subj: Subject, verb: Verb, clitic: str) -> tuple[str, str]:
    """'she always eats' / 'siempre come', 'my brother never sleeps' / 'mi hermano nunca duerme'."""
    adv_en, adv_es = p.choice(FREQUENCY)
    form = verb.third if subj.third_singular else verb.base
    en = f"{subj.en} {adv_en} {form}"
    said = subj.es if (not subj.pronoun or (subj.third_singular and subj.es)) else ""
    silent = Subject(subj.en, "", subj.person, subj.plural, subj.gender, True)
    es = _join(said, adv_es, es_verb_group(silent, verb.es, "pres", False, clitic))
    return en, es


def _sentence(en: str, es: str, kind: str = ".") -> tuple[str, str]:
    en, es = _cap(en.strip()), _cap(es.strip())
    if kind == "?":
        return en + "?", "¿" + es + "?"
    if kind == "!":
        return en + "!", "¡" + es + "!"
    return en + ".", es + "."


def _copula_subject(p: Picker, human: bool) -> tuple[Subject, Noun | None]:
    if human:
        subj = p.subject(pronoun=0.55, name=0.2)
        return subj, None
    noun = p.choice(
        p.g.select(
            "not n.human and n.classes - {'abstract'}",
            lambda: [n for n in p.g.nouns if not n.human and n.classes - {"abstract"}],
        )
    )
    np = p.np(
        [next(iter(sorted(noun.classes)))],
        dets=("the", "my", "your", "this", "that", "our"),
        adjective=0,
    )
    return Subject(np.en, np.es, 3, np.plural, np.gender), np.noun


def copula_clause(p: Picker, neg: bool | None = None, question: bool = False) -> Clause:
    """ser with qualities, estar with states: 'the door is open', 'I'm not tired'."""
    human = p.chance(0.6)
    subj, noun = _copula_subject(p, human)
    if noun is not None:
        adj = p.adjective_for(noun, attributive=False)
    else:
        adj = p.choice(
            p.g.select(
                "'human' in a.classes", lambda: [a for a in p.g.adjectives if "human" in a.classes]
            )
        )
    if adj is None:
        adj = p.g.adjective_by_en["big"]
    neg = p.chance(0.3) if neg is None else neg
    tense = p.choice(["pres", "pres", "pres", "past", "fut"])
    very = (
        not p.plain
        and p.chance(0.25)
        and adj.en
        not in (
            "open",
            "closed",
            "broken",
            "married",
            "lost",
            "empty",
            "full",
        )
    )
    es_adj = adj.es(subj.gender, subj.plural)
    lemma = adj.copula
    es_tense = {"pres": "pres", "past": "pii", "fut": "fut"}[tense]
    contract = p.contract()
    en_adj = ("very " if very else "") + adj.en
    es_adj = ("muy " if very else "") + es_adj
    if question:
        be = _be(subj, tense == "past")
        if tense == "fut":
            en = f"{'won' + chr(39) + 't' if neg else 'will'} {subj.en} be {en_adj}"
        elif neg and be == "am":
            en = f"am {subj.en} not {en_adj}"
        else:
            en = f"{be}{'n' + chr(39) + 't' if neg else ''} {subj.en} {en_adj}"
        es = es_verb_group(subj, lemma, es_tense, neg, drop_he_she=True)
        return Clause(en, _join(es, es_adj), subj, tense)
    if tense == "fut":
        be = (
            ("won't" if contract else "will not")
            if neg
            else ("'ll" if contract and subj.pronoun else "will")
        )
        en = f"{subj.en}{be} be" if be == "'ll" else f"{subj.en} {be} be"
    else:
        en = _be_statement(subj, neg, contract, past=tense == "past")
    es = es_verb_group(subj, lemma, es_tense, neg)
    return Clause(_join(en, en_adj), _join(es, es_adj), subj, tense)


def location_clause(p: Picker, neg: bool | None = None, question: bool = False) -> Clause:
    """estar for where things and people are: 'the book is on the table'."""
    neg = p.chance(0.2) if neg is None else neg
    if p.chance(0.5):
        np = p.np(
            ("small", "thing", "toy", "pet", "clothing"),
            dets=("the", "my", "your", "his", "her"),
            adjective=0.25,
        )
        subj = Subject(np.en, np.es, 3, np.plural, np.gender)
        where_en, where_es = thing_location(p)
    else:
        subj = p.subject(pronoun=0.4, name=0.3)
        where_en, where_es = location(p)
        if p.chance(0.15):
            where_en, where_es = "at home", "en casa"
    past = p.chance(0.25)
    es_tense = "pii" if past else "pres"
    if question:
        be = _be(subj, past)
        en = f"{be}{'n' + chr(39) + 't' if neg and be != 'am' else ''} {subj.en} {where_en}"
        es = es_verb_group(subj, "estar", es_tense, neg and be != "am", drop_he_she=True)
        return Clause(en, _join(es, where_es), subj)
    en = _be_statement(subj, neg, p.contract(), past=past)
    es = es_verb_group(subj, "estar", es_tense, neg)
    return Clause(_join(en, where_en), _join(es, where_es), subj, "past" if past else "pres")


TENER_STATES = [
    ("hungry", "hambre"),
    ("thirsty", "sed"),
    ("sleepy", "sueño"),
    ("afraid", "miedo"),
    ("cold", "frío"),
    ("hot", "calor"),
]


def tener_state_clause(p: Picker, question: bool = False) -> Clause:
    subj = p.subject(pronoun=0.7, name=0.15)
    en_state, es_state = p.choice(TENER_STATES)
    if subj.pronoun is False and en_state in ("cold", "hot"):
        en_state, es_state = "hungry", "hambre"
    neg = p.chance(0.3)
    past = p.chance(0.2)
    tense = "pii" if past else "pres"
    if question:
        be = _be(subj, past)
        neg = neg and be != "am"
        en = f"{be}{'n' + chr(39) + 't' if neg else ''} {subj.en} {en_state}"
        return Clause(
            en, _join(es_verb_group(subj, "tener", tense, neg, drop_he_she=True), es_state), subj
        )
    en = _be_statement(subj, neg, p.contract(), past=past)
    es = _join(es_verb_group(subj, "tener", tense, neg), es_state)
    return Clause(_join(en, en_state), es, subj, "past" if past else "pres")


def relative_np(p: Picker) -> NP:
    """'the woman who lives next door' / 'la mujer que vive al lado';
    'the book that I bought yesterday' / 'el libro que compré ayer'."""
    if p.chance(0.45):
        head = p.np(("person",), dets=("the", "the", "a", "my", "our"), adjective=0.1, plural=0.2)
        subj = Subject("", "", 3, head.plural, head.gender)
        if p.chance(0.25):
            verb = p.g.verbs[[v.es for v in p.g.verbs].index("vivir")]
            tense = p.choice(["pres", "past"])
            en_vp = en_statement(subj, verb, tense, False, False).strip()
            es_vp = es_verb_group(subj, "vivir", tense, False)
            rel_en = f"{en_vp} next door"
            rel_es = f"{es_vp} al lado"
        else:
            verb = p.choice(
                p.g.select(
                    "v.objects and 'clitic' not in v.flags",
                    lambda: [v for v in p.g.verbs if v.objects and "clitic" not in v.flags],
                )
            )
            tense = p.choice(["pres", "past", "prog"])
            if verb.base.split()[0] in STATIVE or verb.es in SINGLE_TENSE_VERBS:
                tense = p.choice(["pres", "past"])
            en_obj, es_obj, _ = verb_object(p, verb, subj, clitic_ok=False)
            rel_en = _join(en_statement(subj, verb, tense, False, False).strip(), en_obj)
            rel_es = _join(
                es_verb_group(subj, verb.es, _spanish_tense(verb.es, tense), False), es_obj
            )
        who = "who" if p.chance(0.8) else "that"
        return NP(
            f"{head.en} {who} {rel_en}",
            f"{head.es} que {rel_es}",
            head.gender,
            head.plural,
            True,
            head.noun,
        )
    verbs = p.g.select(
        "v.transitive and v.objects - {'person', 'language', 'city'}",
        lambda: [
            v for v in p.g.verbs if v.transitive and v.objects - {"person", "language", "city"}
        ],
    )
    verb = p.choice(verbs)
    head = p.np(
        verb.objects - {"person", "language", "city"},
        dets=("the", "the", "that", "this"),
        adjective=0.2,
        plural=0.25,
    )
    inner = p.subject(pronoun=0.6, name=0.2)
    tense = p.choice(["past", "past", "pres", "fut"])
    if tense == "pres" and verb.es in PAST_IMPERFECT:
        tense = "past"
    rel_en = en_statement(inner, verb, tense, False, p.chance(0.5)).strip()
    rel_es = es_verb_group(inner, verb.es, _spanish_tense(verb.es, tense), False)
    if p.extra(0.4):
        t_en, t_es = time_adverbial(p, tense)
        rel_en, rel_es = _join(rel_en, t_en), _join(rel_es, t_es)
    that = p.choice(["that", "that", "which", ""])
    return NP(
        _join(head.en, that, rel_en),
        f"{head.es} que {rel_es}",
        head.gender,
        head.plural,
        False,
        head.noun,
    )


def relative_clause(p: Picker) -> Clause:
    """A clause with a relative noun phrase as its subject or object."""
    rel = relative_np(p)
    if rel.human and p.chance(0.5):
        subj = Subject(rel.en, rel.es, 3, rel.plural, rel.gender)
        if p.chance(0.5):
            adj = p.choice(
                p.g.select(
                    "'human' in a.classes",
                    lambda: [a for a in p.g.adjectives if "human" in a.classes],
                )
            )
            past = p.chance(0.3)
            en = _join(_be_statement(subj, False, False, past=past), adj.en)
            es = _join(
                es_verb_group(subj, adj.copula, "pii" if past else "pres", False),
                adj.es(subj.gender, subj.plural),
            )
            return Clause(en, es, subj, "past" if past else "pres")
        return statement(p, subj=subj, adverbial=0.4, allowed=("pres", "past", "fut"))
    subj = p.subject(pronoun=0.7, name=0.15)
    tense = p.choice(["pres", "past", "past", "fut"])
    if rel.human:
        verb = p.choice(
            p.g.select(
                "'clitic' in v.flags and 'person' in v.objects",
                lambda: [v for v in p.g.verbs if "clitic" in v.flags and "person" in v.objects],
            )
        )
        obj_es = f"a {rel.es}"
    else:
        verbs = [
            v for v in p.g.verbs if v.transitive and rel.noun is not None and v.takes(rel.noun)
        ]
        verb = p.choice(verbs) if verbs else p.g.verbs[0]
        obj_es = rel.es
    if verb.es in SINGLE_TENSE_VERBS and tense == "fut":
        tense = "pres"
    neg = p.chance(0.15)
    contract = p.contract()
    en = _join(en_statement(subj, verb, tense, neg, contract).strip(), rel.en)
    es = _join(es_verb_group(subj, verb.es, _spanish_tense(verb.es, tense), neg), obj_es)
    return Clause(en, es, subj, tense)


def gustar_clause(p: Picker, question: bool = False, neg: bool | None = None) -> Clause:
    """like/love -> gustar/encantar: 'she likes cats' / 'le gustan los gatos'."""
    subj = p.subject(pronoun=0.6, name=0.2)
    neg = p.chance(0.3) if neg is None else neg
    love = p.chance(0.3) and not (neg and p.chance(0.7))  # "I don't love eggs" is rare
    es_verb = "encantar" if love else "gustar"
    en_verb = ("love", "loves", "loved") if love else ("like", "likes", "liked")
    kind = p.rng.random()
    tense = "pres"
    if kind < 0.45:  # generic: "cats" -> "los gatos", "coffee" -> "el café"
        noun = p.choice(
            p.g.select(
                "likeable nouns",
                lambda: [
                    n
                    for n in p.g.nouns
                    if n.classes
                    & {
                        "food",
                        "drink",
                        "animal",
                        "music",
                        "clothing",
                        "vehicle",
                        "readable",
                        "watchable",
                        "song",
                        "event",
                        "plant",
                    }
                ],
            )
        )
        plural = not noun.mass
        np_generic = noun_phrase(noun, "", plural)
        np_es = noun_phrase(noun, "the", plural)
        stim_en, stim_es, stim_pl = np_generic.en, np_es.es, plural
    elif kind < 0.75:  # specific: "this song", "your new car"
        np = p.np(
            (
                "food",
                "drink",
                "thing",
                "clothing",
                "vehicle",
                "watchable",
                "readable",
                "song",
                "place",
                "building",
            ),
            dets=("the", "this", "that", "my", "your", "his", "her", "our"),
            adjective=0.3,
            plural=0.3,
        )
        stim_en, stim_es, stim_pl = np.en, np.es, np.plural
        tense = p.choice(["pres", "past"])
    else:  # an activity: "swimming" / "to swim" -> "nadar"
        verb = p.choice(
            p.g.select(
                "v.es not in SINGLE_TENSE_VERBS and v.es not in ('llegar', 'venir')",
                lambda: [
                    v
                    for v in p.g.verbs
                    if v.es not in SINGLE_TENSE_VERBS and v.es not in ("llegar", "venir")
                ],
            )
        )
        en_obj, es_obj, _ = verb_object(p, verb, subj, clitic_ok=False)
        gerund = p.chance(0.6)
        stim_en = _join(verb.ger if gerund else f"to {verb.base}", en_obj)
        stim_es = _join(verb.es, es_obj)
        stim_pl = False
    dative = DATIVE[subj.key]
    m = p.g.morph
    es_form = m.verb(
        es_verb, "ifi" if tense == "past" else "pri", ("p3", "pl" if stim_pl else "sg")
    )
    lead = "" if subj.pronoun else f"a {subj.es}"
    es = _join(lead, "no" if neg else "", dative, es_form, stim_es)
    if question:
        aux = "did" if tense == "past" else ("does" if subj.third_singular else "do")
        en = _join(aux + ("n't" if neg else ""), subj.en, en_verb[0], stim_en)
    elif neg:
        contract = p.contract()
        aux = "did" if tense == "past" else ("does" if subj.third_singular else "do")
        aux = aux + "n't" if contract else aux + " not"
        en = _join(subj.en, aux, en_verb[0], stim_en)
    else:
        form = (
            en_verb[2] if tense == "past" else (en_verb[1] if subj.third_singular else en_verb[0])
        )
        en = _join(subj.en, form, stim_en)
    return Clause(en, es, subj, tense)


def love_person_clause(p: Picker, question: bool = False) -> Clause:
    """'I love you' -> 'te quiero'; 'she loves her brother' -> 'ella quiere a su hermano'."""
    subj = p.subject(pronoun=0.7, name=0.2)
    verb = Verb(
        "love",
        "loves",
        "loved",
        "loving",
        "querer",
        frozenset({"person"}),
        "",
        "",
        frozenset({"clitic"}),
    )
    if p.chance(0.6):
        others = [
            q for q in PRONOUNS if q.person != subj.person or (subj.person == 3 and q.en != subj.en)
        ]
        other = p.choice(others)
        en_obj, clitic = OBJECT_PRONOUNS[other.en]
        es_obj = ""
    else:
        obj = p.human_object()
        en_obj, es_obj, clitic = obj.en, f"a {obj.es}", ""
    neg = p.chance(0.15)
    if question:
        en = _join(en_question(subj, verb, "pres", neg), en_obj)
        es = _join(es_verb_group(subj, "querer", "pres", neg, clitic, drop_he_she=True), es_obj)
    else:
        en = _join(en_statement(subj, verb, "pres", neg, p.chance(0.6)), en_obj)
        es = _join(es_verb_group(subj, "querer", "pres", neg, clitic), es_obj)
    return Clause(en, es, subj)


# ---------------------------------------------------------------------------------------------
# Sentence patterns: each returns one (English, Spanish) pair.


@functools.lru_cache(maxsize=1)
def _phrases() -> list[tuple[str, str]]:
    return [tuple(row) for row in _table(lex.PHRASES)]  # type: ignore[misc]


@functools.lru_cache(maxsize=1)
def _name_frames() -> list[list[str]]:
    return _table(lex.NAME_FRAMES)


def pat_phrase(p: Picker) -> tuple[str, str]:
    return p.choice(_phrases())


def pat_greeting_name(p: Picker) -> tuple[str, str]:
    name, gender = p.name(0.25)
    r = p.rng.random()
    if r < 0.6:
        en, es = p.choice(_name_frames())
        return en.format(n=name), es.format(n=name)
    if r < 0.75:
        kin = p.choice(
            [n for n in p.g.nouns if "kin" in n.classes and n.gender == gender]
            or [p.g.noun_by_en["friend"]]
        )
        det = p.choice(["my", "your", "our"])
        np = noun_phrase(kin, det)
        this = "Esta" if kin.gender == "f" else "Este"
        if p.chance(0.5):
            return f"This is {np.en}, {name}.", f"{this} es {np.es}, {name}."
        return f"This is {np.en} {name}.", f"{this} es {np.es} {name}."
    if r < 0.85:
        friend = "amiga" if gender == "f" else "amigo"
        return f"{name} is my best friend.", f"{name} es mi mejor {friend}."
    place = p.place("country") if p.chance(0.7) else p.place()
    if p.chance(0.5):
        return f"{name} is from {place.en}.", f"{name} es de {place.es}."
    owner = "Her" if gender == "f" else "His"
    return f"{owner} name is {name}.", f"Se llama {name}."


def pat_statement(p: Picker) -> tuple[str, str]:
    c = statement(p, neg=False)
    return _sentence(c.en, c.es)


def pat_negation(p: Picker) -> tuple[str, str]:
    r = p.rng.random()
    if r < 0.55:
        c = statement(p, neg=True)
    elif r < 0.75:
        c = copula_clause(p, neg=True)
    elif r < 0.85:
        c = location_clause(p, neg=True)
    else:
        c = gustar_clause(p, neg=True)
    return _sentence(c.en, c.es)


def pat_copula(p: Picker) -> tuple[str, str]:
    r = p.rng.random()
    if r < 0.5:
        c = copula_clause(p)
    elif r < 0.8:
        c = location_clause(p)
    else:
        c = tener_state_clause(p)
    return _sentence(c.en, c.es)


def pat_like(p: Picker) -> tuple[str, str]:
    r = p.rng.random()
    if r < 0.2:
        c = love_person_clause(p, question=p.chance(0.2))
        return _sentence(
            c.en, c.es, "?" if c.en.split()[0] in ("do", "does", "don't", "doesn't") else "."
        )
    if r < 0.35:
        return _would_like(p)
    question = p.chance(0.3)
    c = gustar_clause(p, question=question)
    return _sentence(c.en, c.es, "?" if question else ".")


def _would_like(p: Picker) -> tuple[str, str]:
    please = p.chance(0.5)
    tail_en, tail_es = (", please", ", por favor") if please else ("", "")
    if p.chance(0.5):
        noun = p.choice(p.g.nouns_of("food", "drink"))
        if (
            noun.mass
            and "drink" in noun.classes
            and noun.en not in ("water", "milk")
            and p.chance(0.6)
        ):
            np = noun_phrase(noun, "a")  # a coffee, un café
        else:
            np = p.np(
                ("food", "drink"),
                dets=("a", "a", "the", "this"),
                adjective=0.2,
                plural=0.1,
                bare=0.3,
            )
        if p.chance(0.3):
            return f"Would you like {np.en}?", f"¿Quieres {np.es}?"
        i = p.choice(["I would like", "I'd like"])
        return f"{i} {np.en}{tail_en}.", f"Quisiera {np.es}{tail_es}."
    verb = p.choice(
        p.g.select(
            "v.es not in SINGLE_TENSE_VERBS",
            lambda: [v for v in p.g.verbs if v.es not in SINGLE_TENSE_VERBS],
        )
    )
    en_obj, es_obj, clitic = verb_object(p, verb, PRONOUNS[0], clitic_ok=True)
    if p.chance(0.3):
        return (
            f"Would you like to {_join(verb.base, en_obj)}?",
            f"¿Te gustaría {_join(verb.es + clitic, es_obj)}?",
        )
    i = p.choice(["I would like", "I'd like"])
    return f"{i} to {_join(verb.base, en_obj)}.", f"Me gustaría {_join(verb.es + clitic, es_obj)}."


def pat_yes_no(p: Picker) -> tuple[str, str]:
    r = p.rng.random()
    if r < 0.15:
        c = copula_clause(p, question=True)
        return _sentence(c.en, c.es, "?")
    if r < 0.25:
        c = location_clause(p, question=True)
        return _sentence(c.en, c.es, "?")
    if r < 0.32:
        c = tener_state_clause(p, question=True)
        return _sentence(c.en, c.es, "?")
    if r < 0.41:
        c = gustar_clause(p, question=True)
        return _sentence(c.en, c.es, "?")
    if r < 0.45:  # Is there a bank near here?
        noun = p.g.noun_by_en[p.choice(PUBLIC_PLACES)]
        np = noun_phrase(noun, "a")
        where_en, where_es = p.choice(
            [("near here", "cerca de aquí"), ("in this street", "en esta calle"), ("", "")]
        )
        if not where_en:
            place = p.place("city")
            where_en, where_es = f"in {place.en}", f"en {place.es}"
        return _sentence(f"is there {np.en} {where_en}", f"hay {np.es} {where_es}", "?")
    subj = p.subject(pronoun=0.7, name=0.15, animal=True) if p.chance(0.5) else PRONOUNS[1]
    verb = p.choice(_verbs(p))
    tense = _pick_tense(
        p,
        verb,
        ("pres", "pres", "past", "past", "fut", "prog", "going", "can", "want", "have_to", "need"),
    )
    neg = p.chance(0.1)
    en_obj, es_obj, clitic = verb_object(p, verb, subj)
    en = _join(en_question(subj, verb, tense, neg), en_obj)
    es_t = _spanish_tense(verb.es, tense)
    if tense in ("can", "want", "have_to", "need", "going"):
        es = es_verb_group(subj, verb.es, es_t, neg, "", drop_he_she=True) + clitic
    else:
        es = es_verb_group(subj, verb.es, es_t, neg, clitic, drop_he_she=True)
    es = _join(es, es_obj)
    if p.extra(0.35):
        t_en, t_es = time_adverbial(p, tense)
        en, es = _join(en, t_en), _join(es, t_es)
    return _sentence(en, es, "?")


def _wh_verb(
    p: Picker,
    wh_en: str,
    wh_es: str,
    verb: Verb,
    subj: Subject,
    tense: str,
    en_obj: str = "",
    es_obj: str = "",
    clitic: str = "",
    neg: bool = False,
    adverbial: float = 0.3,
) -> tuple[str, str]:
    en = _join(wh_en, en_question(subj, verb, tense, neg), en_obj)
    inverted = (
        Subject("", "", subj.person, subj.plural, subj.gender, True) if not subj.pronoun else subj
    )
    es_t = _spanish_tense(verb.es, tense)
    if tense in ("can", "want", "have_to", "need", "going"):
        es = es_verb_group(inverted, verb.es, es_t, neg, "", drop_he_she=True) + clitic
    else:
        es = es_verb_group(inverted, verb.es, es_t, neg, clitic, drop_he_she=True)
    es = _join(wh_es, es, "" if subj.pronoun else subj.es, es_obj)
    if p.extra(adverbial):
        t_en, t_es = time_adverbial(p, tense)
        en, es = _join(en, t_en), _join(es, t_es)
    return _sentence(en, es, "?")


def pat_wh(p: Picker) -> tuple[str, str]:
    r = p.rng.random()
    subj = p.subject(pronoun=0.7, name=0.15)
    verbs = {v.es: v for v in p.g.verbs}
    if r < 0.1:  # Where is the train station?
        np = p.np(
            ("place", "small", "pet", "person", "vehicle"),
            dets=("the", "my", "your", "his", "her", "our"),
            adjective=0.1,
        )
        if np.human is False and "place" in (np.noun.classes if np.noun else ()):
            np = noun_phrase(np.noun, "the")
        be = "are" if np.plural else "is"
        return f"Where {be} {np.en}?", f"¿Dónde {'están' if np.plural else 'está'} {np.es}?"
    if r < 0.18:  # Where do you live? Where does your sister work?
        verb = verbs[p.choice(["vivir", "trabajar", "estudiar"])]
        if verb.es == "estudiar":
            verb = Verb(
                "study",
                "studies",
                "studied",
                "studying",
                "estudiar",
                frozenset(),
                "",
                "",
                frozenset(),
            )
        return _wh_verb(p, "where", "dónde", verb, subj, p.choice(["pres", "pres", "past"]))
    if r < 0.25:  # Where are you going? Where did you go?
        verb = verbs[p.choice(["ir", "viajar"])]
        tense = p.choice(
            ["prog", "past", "fut", "going"] if verb.es == "ir" else ["past", "fut", "going"]
        )
        return _wh_verb(p, "where", "adónde", verb, subj, tense)
    if r < 0.4:  # What do you want? What are you reading? What did she buy?
        if p.chance(0.25):
            tense = p.choice(["prog", "past", "fut", "going", "pres", "want"])
            return _wh_verb(p, "what", "qué", DO, subj, tense, adverbial=0.5)
        verb = p.choice(
            p.g.select(
                "v.transitive and v.objects - {'person', 'city'} and 'clitic' not in v.flags",
                lambda: [
                    v
                    for v in p.g.verbs
                    if v.transitive and v.objects - {"person", "city"} and "clitic" not in v.flags
                ],
            )
        )
        tense = _pick_tense(
            p, verb, ("pres", "past", "fut", "prog", "going", "want", "need", "have_to", "can")
        )
        return _wh_verb(p, "what", _join(verb.prep_es, "qué"), verb, subj, tense)
    if r < 0.5:  # Who ...?
        rr = p.rng.random()
        if rr < 0.35:
            noun = p.choice(p.g.nouns_of("person"))
            det = p.choice(["that", "this", "the"])
            plural = not noun.mass and p.chance(0.3)
            np = noun_phrase(noun, det, plural)
            if plural:
                return f"Who are {np.en}?", f"¿Quiénes son {np.es}?"
            return f"Who is {np.en}?", f"¿Quién es {np.es}?"
        if rr < 0.65:  # Who did you call? Who are you talking to?
            verb = p.choice(
                p.g.select(
                    "who-object verbs",
                    lambda: [
                        v
                        for v in p.g.verbs
                        if "person" in v.objects and ("clitic" in v.flags or v.prep_es)
                    ],
                )
            )
            tense = _pick_tense(p, verb, ("pres", "past", "fut", "going", "prog"))
            en, es = _wh_verb(p, "who", f"{verb.prep_es or 'a'} quién", verb, subj, tense)
            return en, es
        verb = p.choice(
            p.g.select(
                "v.es not in SINGLE_TENSE_VERBS",
                lambda: [v for v in p.g.verbs if v.es not in SINGLE_TENSE_VERBS],
            )
        )
        tense = p.choice(["pres", "past", "fut", "prog"])
        if verb.base.split()[0] in STATIVE:
            tense = "past"
        who = Subject("who", "quién", 3, False, "m")
        en_obj, es_obj, clitic = verb_object(p, verb, who)
        en = _join(en_statement(who, verb, tense, False, False), en_obj)
        es = _join(
            es_verb_group(who, verb.es, _spanish_tense(verb.es, tense), False, clitic), es_obj
        )
        if tense in ("can", "want", "have_to", "need", "going") and clitic:
            es = es_verb_group(who, verb.es, tense, False, "") + clitic
        return _sentence(en, es, "?")
    if r < 0.6:  # When ...?
        rr = p.rng.random()
        if rr < 0.3:
            if p.chance(0.5):
                vehicle = p.np(("public",), dets=("the", "the", "our", "your"))
                leave = verbs["salir"]
                return _wh_verb(
                    p,
                    "when",
                    "cuándo",
                    leave,
                    Subject(vehicle.en, vehicle.es, 3, vehicle.plural, vehicle.gender),
                    "pres",
                    adverbial=0,
                )
            event = p.np(("event", "watchable"), dets=("the", "your", "our"))
            start = Verb(
                "start",
                "starts",
                "started",
                "starting",
                "empezar",
                frozenset(),
                "",
                "",
                frozenset(),
            )
            return _wh_verb(
                p,
                "when",
                "cuándo",
                start,
                Subject(event.en, event.es, 3, event.plural, event.gender),
                p.choice(["pres", "fut"]),
                adverbial=0,
            )
        if rr < 0.45:
            event = p.np(("event",), dets=("the", "your", "our", "their"))
            if p.chance(0.3):
                det = p.choice([("your", "tu"), ("his", "su"), ("her", "su"), ("my", "mi")])
                return f"When is {det[0]} birthday?", f"¿Cuándo es {det[1]} cumpleaños?"
            return (
                f"When {'are' if event.plural else 'is'} {event.en}?",
                f"¿Cuándo {'son' if event.plural else 'es'} {event.es}?",
            )
        verb = p.choice(_verbs(p))
        tense = _pick_tense(p, verb, ("pres", "past", "past", "fut", "going"))
        en_obj, es_obj, clitic = verb_object(p, verb, subj)
        return _wh_verb(p, "when", "cuándo", verb, subj, tense, en_obj, es_obj, clitic, adverbial=0)
    if r < 0.7:  # Why ...?
        if p.chance(0.3):
            c = copula_clause(p, question=True)
            return _sentence("why " + c.en, "por qué " + c.es, "?")
        verb = p.choice(_verbs(p))
        tense = _pick_tense(p, verb, ("pres", "past", "past", "fut", "prog", "going"))
        en_obj, es_obj, clitic = verb_object(p, verb, subj)
        return _wh_verb(
            p, "why", "por qué", verb, subj, tense, en_obj, es_obj, clitic, neg=p.chance(0.3)
        )
    if r < 0.78:  # How is your mother? How old is your brother?
        np = p.np(("person",), dets=("your", "his", "her", "their", "our"), adjective=0)
        if p.chance(0.5):
            cuantos = "Cuántos años tienen" if np.plural else "Cuántos años tiene"
            return (f"How old {'are' if np.plural else 'is'} {np.en}?", f"¿{cuantos} {np.es}?")
        return (
            f"How {'are' if np.plural else 'is'} {np.en}?",
            f"¿Cómo {'están' if np.plural else 'está'} {np.es}?",
        )
    if r < 0.88:  # How much ...?
        if p.chance(0.6):
            np = p.np(
                ("thing", "clothing", "vehicle", "food"),
                dets=("this", "that", "the", "your"),
                adjective=0.3,
                plural=0.3,
            )
            if p.chance(0.3):
                return (
                    f"How much {'are' if np.plural else 'is'} {np.en}?",
                    f"¿Cuánto {'cuestan' if np.plural else 'cuesta'} {np.es}?",
                )
            return (
                f"How much {'do' if np.plural else 'does'} {np.en} cost?",
                f"¿Cuánto {'cuestan' if np.plural else 'cuesta'} {np.es}?",
            )
        noun = p.choice(
            [
                *p.g.select(
                    "mass food and drink",
                    lambda: [n for n in p.g.nouns if n.mass and n.classes & {"food", "drink"}],
                ),
                p.g.noun_by_en["money"],
            ]
        )
        verb = (
            verbs["tener"]
            if noun.en == "money"
            else p.choice(
                [verbs["comer"], verbs["comprar"]]
                if "food" in noun.classes
                else [verbs["beber"], verbs["comprar"]]
            )
        )
        cuanto = "cuánta" if noun.gender == "f" else "cuánto"
        return _wh_verb(
            p,
            f"how much {noun.en}",
            f"{cuanto} {noun.es}",
            verb,
            subj,
            p.choice(["pres", "past", "need"]),
        )
    # How many ...?
    if p.chance(0.3):
        noun = p.choice(
            p.g.select(
                "countable movables",
                lambda: [
                    n
                    for n in p.g.nouns
                    if not n.mass
                    and n.classes & {"person", "animal", "thing"}
                    and "fixed" not in n.classes
                ],
            )
        )
        where_en, where_es = location(p)
        cuantos = "cuántas" if noun.gender == "f" else "cuántos"
        return (
            f"How many {noun.en_pl} are there {where_en}?",
            f"¿{cuantos.capitalize()} {noun.es_pl} hay {where_es}?",
        )
    verb = p.choice(
        p.g.select(
            "verbs with countable objects",
            lambda: [
                v
                for v in p.g.verbs
                if v.transitive
                and v.objects - {"person", "city", "language"}
                and "clitic" not in v.flags
            ],
        )
    )
    nouns = [
        n for n in p.g.nouns_of(*(verb.objects - {"person", "city", "language"})) if not n.mass
    ]
    if not nouns:
        verb = verbs["tener"]
        nouns = [n for n in p.g.nouns_of("pet", "vehicle") if not n.mass]
    noun = p.choice(nouns)
    cuantos = "cuántas" if noun.gender == "f" else "cuántos"
    tense = _pick_tense(p, verb, ("pres", "past", "fut", "want", "need"))
    return _wh_verb(
        p,
        f"how many {noun.en_pl}",
        _join(verb.prep_es, f"{cuantos} {noun.es_pl}"),
        verb,
        subj,
        tense,
    )


def pat_imperative(p: Picker) -> tuple[str, str]:
    m = p.g.morph
    you = PRONOUNS[1]
    r = p.rng.random()
    if r < 0.15:  # Let's ...
        verb = p.choice(
            p.g.select(
                "v.es not in SINGLE_TENSE_VERBS and v.es not in ('llegar', 'venir')",
                lambda: [
                    v
                    for v in p.g.verbs
                    if v.es not in SINGLE_TENSE_VERBS and v.es not in ("llegar", "venir")
                ],
            )
        )
        en_obj, es_obj, clitic = verb_object(p, verb, PRONOUNS[4], clitic_ok=False)
        if verb.es == "ir":
            en, es = _join("let's go", en_obj), _join("vamos", es_obj)
        else:
            en, es = _join("let's", verb.base, en_obj), _join("vamos a", verb.es, es_obj)
        if p.extra(0.3):
            t_en, t_es = time_adverbial(p, "fut", simple=True)
            en, es = _join(en, t_en), _join(es, t_es)
        return _sentence(en, es, "!" if p.chance(0.3) else ".")
    verb = p.choice(
        p.g.select(
            "imperative verbs",
            lambda: [
                v
                for v in p.g.verbs
                if v.es
                not in (
                    "querer",
                    "necesitar",
                    "tener",
                    "conocer",
                    "odiar",
                    "llegar",
                    "vivir",
                    "trabajar",
                    "perder",
                    "entender",
                    "salir",
                )
                and v.base != "see"
            ],
        )
    )
    neg = p.chance(0.35)
    if r < 0.4 and verb.es in ("romper", "olvidar", "perder"):
        verb = p.g.verbs_by_es["cerrar"]  # nobody asks "could you break my cups?"
    en_obj, es_obj, clitic = verb_object(p, verb, you, dets=IMPERATIVE_DETS)
    if r < 0.4:  # requests: Could you ...? Can you help me?
        modal_en, modal_es = p.choice(
            [
                ("could you", "podrías"),
                ("can you", "puedes"),
                ("can I", "puedo"),
                ("could you please", "podrías"),
                ("can we", "podemos"),
            ]
        )
        if modal_en.endswith(("I", "we")) and clitic in ("me", "nos"):
            clitic, en_obj = "te", "you"
        if modal_en.endswith("we") and clitic == "nos":
            clitic, en_obj = "te", "you"
        please = "please" in modal_en or p.chance(0.3)
        modal_en = modal_en.removesuffix(" please") if not please or p.chance(0.5) else modal_en
        en = _join(modal_en, verb.base, en_obj)
        en += ", please" if please and "please" not in modal_en else ""
        es = _join(modal_es, verb.es + clitic, es_obj) + (", por favor" if please else "")
        return _sentence(en, es, "?")
    if neg:
        dont = p.choice(["don't", "don't", "do not"])
        en = _join(dont, verb.base, en_obj)
        es = _join("no", clitic, m.verb(verb.es, "prs", ("p2", "sg")), es_obj)
    else:
        if verb.es in ("romper", "olvidar", "tocar", "perder") and verb.base != "play":
            verb = p.g.verbs_by_es["abrir"]
            en_obj, es_obj, clitic = verb_object(p, verb, you, dets=IMPERATIVE_DETS)
        imp = m.verb(verb.es, "imp")
        en = _join(verb.base, en_obj)
        es = _join(attach_clitic(imp, clitic) if clitic else imp, es_obj)
    if p.extra(0.2):
        t_en, t_es = time_adverbial(p, "fut", simple=True)
        en, es = _join(en, t_en), _join(es, t_es)
    rr = p.rng.random()
    if rr < 0.3:
        return _sentence(en + ", please", es + ", por favor")
    if rr < 0.5:
        return _sentence("please " + en, "por favor, " + es)
    if rr < 0.6:
        return _sentence(en, es, "!")
    return _sentence(en, es)


def pat_numbers(p: Picker) -> tuple[str, str]:
    r = p.rng.random()
    subj = p.subject(pronoun=0.6, name=0.2)
    if r < 0.2:  # I have 25 cats and 3 dogs.
        nouns = [
            n
            for n in p.g.nouns_of("pet", "vehicle", "kin", "small", "toy", "clothing", "fruit")
            if not n.mass and "one" not in n.classes
        ]
        a, b = p.choice(nouns), p.choice(nouns)
        while b == a:
            b = p.choice(nouns)
        na, nb = noun_phrase(a, number=p.number()), noun_phrase(b, number=p.number())
        past = p.chance(0.3)
        have = Verb("have", "has", "had", "having", "tener", frozenset(), "", "", frozenset())
        en = _join(
            en_statement(subj, have, "past" if past else "pres", False, False),
            f"{na.en} and {nb.en}",
        )
        es = _join(
            es_verb_group(subj, "tener", "pii" if past else "pres", False), f"{na.es} y {nb.es}"
        )
        return _sentence(en, es)
    if r < 0.35:  # She is 12 years old.
        n = p.rng.randint(1, 99)
        years_en, years_es = ("year", "año") if n == 1 else ("years", "años")
        past = p.chance(0.15)
        if p.chance(0.2):
            inverted = Subject("", "", subj.person, subj.plural, subj.gender, True)
            es_v = es_verb_group(
                inverted, "tener", "pii" if past else "pres", False, drop_he_she=True
            )
            en_q = f"How old {_be(subj, past)} {subj.en}?"
            return en_q, f"¿Cuántos años {_join(es_v, '' if subj.pronoun else subj.es)}?"
        en = _join(_be_statement(subj, False, p.chance(0.5), past=past), f"{n} {years_en} old")
        es = _join(
            es_verb_group(subj, "tener", "pii" if past else "pres", False), f"{n} {years_es}"
        )
        return _sentence(en, es)
    if r < 0.5:  # prices
        n = p.number() if p.chance(0.5) else p.rng.randint(1, 120)
        cur = p.choice(
            [
                ("euro", "euros", "euro", "euros"),
                ("dollar", "dollars", "dólar", "dólares"),
                ("pound", "pounds", "libra", "libras"),
            ]
        )
        money_en = f"{n} {cur[0] if n == 1 else cur[1]}"
        money_es = f"{n} {cur[2] if n == 1 else cur[3]}"
        np = p.np(
            ("thing", "clothing", "vehicle", "food", "drink"),
            dets=("the", "this", "that", "my", "your", "her"),
            adjective=0.3,
            plural=0.3,
        )
        past = p.chance(0.3)
        if past:
            en, es = (
                f"{np.en} cost {money_en}",
                f"{np.es} {'costaron' if np.plural else 'costó'} {money_es}",
            )
        else:
            en = f"{np.en} {'cost' if np.plural else 'costs'} {money_en}"
            es = f"{np.es} {'cuestan' if np.plural else 'cuesta'} {money_es}"
        if p.chance(0.2):
            buyer = p.subject(pronoun=0.8)
            verb = Verb("pay", "pays", "paid", "paying", "pagar", frozenset(), "", "", frozenset())
            en = _join(en_statement(buyer, verb, "past", False, False), money_en, "for", np.en)
            es = _join(es_verb_group(buyer, "pagar", "past", False), money_es, "por", np.es)
        return _sentence(en, es)
    if r < 0.65:  # times: The train leaves at 7 o'clock.
        t_en, t_es = _clock(p)
        if p.chance(0.5):
            np = p.np(("public",), dets=("the", "our", "my"))
            verb_en, verb_es = (
                "leaves" if not np.plural else "leave",
                "sale" if not np.plural else "salen",
            )
            if p.chance(0.4):
                verb_en, verb_es = ("arrives", "llega") if not np.plural else ("arrive", "llegan")
        else:
            np = p.np(("event", "watchable", "shop"), dets=("the", "our", "your"))
            if np.noun and np.noun.en == "shop":
                verb_en, verb_es = ("opens", "abre") if not np.plural else ("open", "abren")
            else:
                verb_en, verb_es = ("starts", "empieza") if not np.plural else ("start", "empiezan")
        if p.chance(0.3):
            return (
                f"What time {'do' if np.plural else 'does'} {np.en} {verb_en.removesuffix('s')}?",
                f"¿A qué hora {verb_es} {np.es}?",
            )
        return _sentence(f"{np.en} {verb_en} {t_en}", f"{np.es} {verb_es} {t_es}")
    if r < 0.8:  # years: I was born in 1995.
        year = p.rng.randint(1800, 2025)
        subj = p.subject(pronoun=0.4, name=0.5)
        if p.chance(0.6):
            en = _join(_be_statement(subj, False, False, past=True), "born", f"in {year}")
            es = _join(es_verb_group(subj, "nacer", "past", False), f"en {year}")
            if p.chance(0.4):
                place = p.place()
                en, es = _join(en, f"in {place.en}"), _join(es, f"en {place.es}")
            return _sentence(en, es)
        place = p.place()
        verb = p.choice(
            p.g.select(
                "v.es in ('ir', 'viajar', 'vivir', 'trabajar', 'visitar')",
                lambda: [
                    v for v in p.g.verbs if v.es in ("ir", "viajar", "vivir", "trabajar", "visitar")
                ],
            )
        )
        en_obj = f"{verb.prep_en} {place.en}" if verb.prep_en else place.en
        es_obj = f"{verb.prep_es} {place.es}" if verb.prep_es else place.es
        en = _join(en_statement(subj, verb, "past", False, False), en_obj, f"in {year}")
        es = _join(es_verb_group(subj, verb.es, "past", False), es_obj, f"en {year}")
        return _sentence(en, es)
    # There are 30 students in the library.
    noun = p.choice(
        p.g.select(
            "there-is nouns",
            lambda: [
                n
                for n in p.g.nouns
                if not n.mass
                and n.classes & {"person", "animal", "thing", "vehicle", "food"}
                and not n.classes & {"fixed", "place", "plant"}
            ],
        )
    )
    n = p.number()
    np = noun_phrase(noun, number=n, adjective=p.adjective_for(noun) if p.chance(0.2) else None)
    where_en, where_es = location(p) if p.chance(0.5) or noun.human else thing_location(p)
    past = p.chance(0.3)
    there = (
        ("There was" if n == 1 else "There were")
        if past
        else ("There is" if n == 1 else "There are")
    )
    return _sentence(
        f"{there} {np.en} {where_en}", f"{'Había' if past else 'Hay'} {np.es} {where_es}"
    )


def pat_names(p: Picker) -> tuple[str, str]:
    """People and places: names copied, places translated by the table."""
    name, gender = p.name(0.35)
    r = p.rng.random()
    subj = Subject(name, name, 3, False, gender)
    if r < 0.15:
        other, _ = p.name(0.2)
        subj = (
            Subject(f"{name} and {other}", f"{name} y {other}", 3, True, "m")
            if other != name
            else subj
        )
    if r < 0.35:
        verb = p.choice(
            p.g.select(
                "v.es in ('ir', 'viajar', 'vivir', 'trabajar', 'visitar', 'llegar')",
                lambda: [
                    v
                    for v in p.g.verbs
                    if v.es in ("ir", "viajar", "vivir", "trabajar", "visitar", "llegar")
                ],
            )
        )
        place = p.place()
        en_obj = (
            f"{verb.prep_en if verb.es != 'llegar' else 'in'} {place.en}"
            if verb.prep_en
            else place.en
        )
        es_obj = f"{verb.prep_es} {place.es}" if verb.prep_es else place.es
        tense = p.choice(["pres", "past", "past", "fut", "going"])
        if verb.es == "llegar" and tense == "pres":
            tense = "past"
        neg = p.chance(0.15)
        en = _join(en_statement(subj, verb, tense, neg, p.chance(0.5)), en_obj)
        es = _join(es_verb_group(subj, verb.es, tense, neg), es_obj)
        if p.extra(0.5):
            t_en, t_es = time_adverbial(p, tense)
            en, es = _join(en, t_en), _join(es, t_es)
        return _sentence(en, es)
    if r < 0.55:  # I saw Anna yesterday. / I met Anna in Paris.
        speaker = p.subject(pronoun=0.8)
        verb = p.choice(
            p.g.select(
                "'clitic' in v.flags and 'person' in v.objects",
                lambda: [v for v in p.g.verbs if "clitic" in v.flags and "person" in v.objects],
            )
        )
        tense = _pick_tense(
            p, verb, ("pres", "past", "past", "fut", "going", "can", "want", "have_to")
        )
        neg = p.chance(0.2)
        en = _join(en_statement(speaker, verb, tense, neg, p.chance(0.5)), name)
        es = _join(
            es_verb_group(speaker, verb.es, _spanish_tense(verb.es, tense), neg),
            f"{verb.prep_es or 'a'} {name}",
        )
        if p.chance(0.4):
            place = p.place()
            en, es = _join(en, f"in {place.en}"), _join(es, f"en {place.es}")
        if p.extra(0.5):
            t_en, t_es = time_adverbial(p, tense)
            en, es = _join(en, t_en), _join(es, t_es)
        return _sentence(en, es)
    if r < 0.7:  # Does Anna live in Berlin? Where does John work?
        place = p.place()
        verb = p.choice(
            p.g.select(
                "v.es in ('vivir', 'trabajar')",
                lambda: [v for v in p.g.verbs if v.es in ("vivir", "trabajar")],
            )
        )
        if p.chance(0.5):
            return _wh_verb(p, "where", "dónde", verb, subj, "pres", adverbial=0)
        en = _join(en_question(subj, verb, "pres"), f"in {place.en}")
        es = _join(subj.es, verb_es_form(verb.es, "pri", subj), f"en {place.es}")
        return _sentence(en, es, "?")
    if r < 0.85:
        c = statement(p, subj=subj)
        return _sentence(c.en, c.es)
    c = gustar_clause(p) if p.chance(0.5) else copula_clause(p)
    return _sentence(c.en, c.es)


def _be_with(p: Picker, subj: Subject, question: bool, neg: bool, complement_en: str) -> str:
    """English 'I'm not a doctor' / 'Is she a doctor' around a complement."""
    if question:
        be = _be(subj)
        if neg and be == "am":
            return f"am {subj.en} not {complement_en}"
        return f"{be}{'n' + chr(39) + 't' if neg else ''} {subj.en} {complement_en}"
    return _join(_be_statement(subj, neg, p.contract()), complement_en)


def pat_about_me(p: Picker) -> tuple[str, str]:
    """Jobs, origins, favourites, dates, phone numbers: what a student says about themselves."""
    r = p.rng.random()
    subj = p.subject(pronoun=0.6, name=0.25)
    if r < 0.4:  # I'm a teacher. / Soy profesor.
        en_job, es_m, es_f = p.choice(_table(lex.PROFESSIONS))
        es_job = es_f if subj.gender == "f" else es_m
        question, neg = p.chance(0.25), p.chance(0.25)
        if subj.plural:
            en_c = _english_plural(en_job)
            es_c = spanish_plural_rule(es_job)
        else:
            en_c = f"{_an(en_job)} {en_job}"
            es_c = es_job
        en = _be_with(p, subj, question, neg, en_c)
        es = _join(es_verb_group(subj, "ser", "pres", neg, drop_he_she=question), es_c)
        return _sentence(en, es, "?" if question else ".")
    if r < 0.55:  # I'm from Spain. / Soy de España.
        place = p.place()
        question, neg = p.chance(0.2), p.chance(0.15)
        en = _be_with(p, subj, question, neg, f"from {place.en}")
        es = _join(es_verb_group(subj, "ser", "pres", neg, drop_he_she=question), f"de {place.es}")
        return _sentence(en, es, "?" if question else ".")
    if r < 0.7:  # What is your favourite colour? / My favourite city is Paris.
        en_thing, es_thing, gender = p.choice(_table(lex.FAVOURITES))
        fav = "favorita" if gender == "f" else "favorito"
        owner_en, owner_es = p.choice([("your", "tu"), ("my", "mi"), ("his", "su"), ("her", "su")])
        if en_thing in ("city", "country") and p.chance(0.5):
            place = p.place("city" if en_thing == "city" else "country")
            return (
                f"{_cap(owner_en)} favourite {en_thing} is {place.en}.",
                f"{_cap(owner_es)} {es_thing} {fav} es {place.es}.",
            )
        favourite = p.choice(["favourite", "favorite"])
        if owner_en == "my":
            owner_en, owner_es = "your", "tu"
        return (
            f"What is {owner_en} {favourite} {en_thing}?",
            f"¿Cuál es {owner_es} {es_thing} {fav}?",
        )
    if r < 0.85:  # My birthday is on 3 March. / Mi cumpleaños es el 3 de marzo.
        month_en, month_es = p.choice(_table(lex.MONTHS))
        day = p.rng.randint(1, 28)
        owner_en, owner_es = p.choice([("My", "Mi"), ("Your", "Tu"), ("His", "Su"), ("Her", "Su")])
        en_date = f"{day} {month_en}" if p.chance(0.5) else f"{month_en} {day}"
        if p.chance(0.3):
            year = p.rng.randint(1800, 2099)
            en_date, es_date = f"{en_date}, {year}", f"el {day} de {month_es} de {year}"
            event_en, event_es = p.choice(
                [("The concert", "El concierto"), ("The meeting", "La reunión"),
                 ("The party", "La fiesta"), ("The wedding", "La boda")]
            )  # fmt: skip
            return f"{event_en} is on {en_date}.", f"{event_es} es {es_date}."
        return (
            f"{owner_en} birthday is on {en_date}.",
            f"{owner_es} cumpleaños es el {day} de {month_es}.",
        )
    if r < 0.93:  # It's 5 o'clock. / Son las 5.
        hour = p.rng.randint(1, 12)
        minutes = p.choice(["", "", "15", "30", "45", "10", "20", "50"])
        es_be = "Es la" if hour == 1 else "Son las"
        if minutes:
            return f"It's {hour}:{minutes}.", f"{es_be} {hour}:{minutes}."
        return f"It's {hour} o'clock.", f"{es_be} {hour}."
    number = "".join(str(p.rng.randint(0, 9)) for _ in range(p.choice([7, 8, 9])))
    owner_en, owner_es = p.choice([("My", "Mi"), ("Your", "Tu"), ("Her", "Su"), ("His", "Su")])
    return f"{owner_en} phone number is {number}.", f"{owner_es} número de teléfono es {number}."


def verb_es_form(lemma: str, tense: str, subj: Subject) -> str:
    return grammar().morph.verb(lemma, tense, subj.key)


CONNECTORS = [
    ("and", "y", None),
    (", but", ", pero", None),
    ("because", "porque", None),
    (", so", ", así que", None),
    ("while", "mientras", "pastprog"),
]


def _clause_for_long(p: Picker, tense: str | None = None) -> Clause:
    r = p.rng.random()
    if tense in ("pastprog", "prog"):
        return statement(p, tense=tense, adverbial=0.0)
    if r < 0.45:
        return statement(p, tense=tense, adverbial=0.6)
    if r < 0.65:
        return relative_clause(p)
    if r < 0.75:
        return copula_clause(p)
    if r < 0.85:
        return gustar_clause(p)
    if r < 0.92:
        return location_clause(p)
    return tener_state_clause(p)


def pat_long(p: Picker) -> tuple[str, str] | None:
    """20 to 40 words: clauses joined with and/but/because/so/when/while, relative clauses,
    'I think that ...', adverbials."""
    for _attempt in range(6):
        r = p.rng.random()
        if r < 0.2:  # When I arrived at the station, the train was leaving ...
            first = statement(p, tense="past", adverbial=0.3)
            second = statement(p, tense="past", adverbial=0.5)
            en, es = f"when {first.en}, {second.en}", f"cuando {first.es}, {second.es}"
            last_tense = "past"
        else:
            first = _clause_for_long(p)
            en, es, last_tense = first.en, first.es, first.tense
        if p.chance(0.15):
            thinker = (
                p.choice(PRONOUNS[:2] + PRONOUNS[4:]) if p.chance(0.7) else p.subject(pronoun=0.0)
            )
            verb = p.choice(
                [("think", "thinks", "creer"), ("know", "knows", "saber"), ("say", "says", "decir")]
            )
            en_v = verb[1] if thinker.third_singular else verb[0]
            es_v = verb_es_form(verb[2], "pri", thinker)
            lead_es = "" if thinker.pronoun and not thinker.third_singular else thinker.es
            en = f"{thinker.en} {en_v} that {en}" if p.chance(0.7) else f"{thinker.en} {en_v} {en}"
            es = _join(lead_es, es_v, "que", es)
        used: set[str] = set()
        while len(en.split()) < LONG_MIN:
            word_en, word_es, tense = p.choice(CONNECTORS)
            if word_en in used and word_en != "and":
                continue
            used.add(word_en)
            if tense:  # "while" agrees with the clause before it
                tense = "pastprog" if last_tense in ("past", "pastprog", "pii") else "prog"
            nxt = _clause_for_long(p, tense)
            last_tense = nxt.tense
            en, es = (
                f"{en} {word_en} {nxt.en}".replace(" ,", ","),
                f"{es} {word_es} {nxt.es}".replace(" ,", ","),
            )
        if LONG_MIN <= len(en.split()) <= LONG_MAX:
            return _sentence(en, es)
    return None


PATTERNS: dict[str, tuple[float, Callable[[Picker], tuple[str, str] | None]]] = {
    "phrase": (2.0, pat_phrase),
    "greeting_name": (4.0, pat_greeting_name),
    "statement": (13.0, pat_statement),
    "negation": (10.0, pat_negation),
    "copula": (7.0, pat_copula),
    "like": (7.0, pat_like),
    "yes_no_question": (9.0, pat_yes_no),
    "wh_question": (10.0, pat_wh),
    "imperative": (8.0, pat_imperative),
    "numbers": (6.0, pat_numbers),
    "names": (4.0, pat_names),
    "about_me": (4.0, pat_about_me),
    "long": (20.0, pat_long),
}


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([,?!.])", r"\1", text)


PLAIN_SHARE = 0.35  # short pairs can repeat; the sampler moves on to longer ones when they do


def everyday_examples(count: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """`count` distinct (English, Spanish, pattern name) triples, deterministic for a seed."""
    if count < 0:
        raise ValueError("count must be zero or more")
    rng = random.Random(seed)
    p = Picker(rng)
    names = list(PATTERNS)
    weights = [PATTERNS[name][0] for name in names]
    seen: set[str] = set()
    out: list[tuple[str, str, str]] = []
    misses = 0
    while len(out) < count and misses < 50 * count + 1000:
        name = rng.choices(names, weights)[0]
        p.plain = name != "long" and rng.random() < PLAIN_SHARE
        pair = PATTERNS[name][1](p)
        if pair is None:
            misses += 1
            continue
        en, es = _clean(pair[0]), _clean(finish_spanish(pair[1]))
        if en in seen:
            misses += 1
            continue
        seen.add(en)
        out.append((en, es, name))
    return out


def everyday_pairs(count: int, seed: int = 0) -> list[tuple[str, str]]:
    """`count` distinct (English, Spanish) pairs (or as many distinct as the grammar makes),
    deterministic for a seed."""
    return [(en, es) for en, es, _ in everyday_examples(count, seed)]

"""A seeded generator of English sentences over the Apertium-backed lexicon.

Each sentence comes with the grammar features it uses (plural, negation, question, relative
clause, ...), so tests can check that a sample covers them all. Adjective-noun phrases are
frequent on purpose: Spanish puts most adjectives after the noun, which is what the alignment
views have to show.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from attnviz.training.lexicon import CoreWords, Lexicon, Noun, Verb

CORE_NOUNS = """
apple bag ball bank bed bike bird boat book bottle box boy bread bridge brother building bus
car cat chair child church city coat coffee computer cook country cup daughter desk doctor dog
door egg farmer father field fish floor flower friend garden girl glass hand hat horse hospital
hotel house island key kitchen lake lawyer letter library man map market milk mirror mother
mountain neighbour newspaper nurse office painter park pen pencil phone picture plate pocket
police president queen river road room school sea shirt shoe shop singer sister soldier son
song station street student sun table teacher tea ticket town toy train tree village wall
window woman writer
"""
CORE_ADJECTIVES = """
big black blue beautiful brown cheap clean cold dark dirty empty expensive famous fast free
green grey happy heavy hot important interesting large light long new old poor quiet red rich
sad short slow small strong tall tired ugly white wide yellow young
"""
CORE_TRANSITIVE = """
buy build carry clean close cook draw drink eat find follow help hold like love meet need open
paint read see sell send sing take teach visit want wash watch write
"""
CORE_INTRANSITIVE = "arrive cry dance fall laugh live run sleep smile swim travel wait walk work"
CORE_ADVERBS = "quickly slowly carefully quietly happily badly easily suddenly"

CORE = CoreWords(
    nouns=frozenset(CORE_NOUNS.split()),
    adjectives=frozenset(CORE_ADJECTIVES.split()),
    verbs=frozenset(CORE_TRANSITIVE.split() + CORE_INTRANSITIVE.split()),
    adverbs=frozenset(CORE_ADVERBS.split()),
    transitive=frozenset(CORE_TRANSITIVE.split()),
)

# (subject, object, person-number) ; person-number picks the verb form: "3sg" or "other"
PRONOUNS = (
    ("I", "me", "1sg"),
    ("you", "you", "other"),
    ("he", "him", "3sg"),
    ("she", "her", "3sg"),
    ("we", "us", "other"),
    ("they", "them", "other"),
)
# "that" is left out: after a verb Apertium reads it as the conjunction ("que")
SINGULAR_DETERMINERS = (
    "the",
    "the",
    "the",
    "a",
    "this",
    "my",
    "your",
    "his",
    "her",
    "our",
    "their",
)
PLURAL_DETERMINERS = (
    "the",
    "the",
    "the",
    "these",
    "those",
    "some",
    "many",
    "my",
    "your",
    "our",
    "their",
)
NUMBERS = (
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "twelve",
    "twenty",
)
# "near" is left out: Apertium's tagger reads it as the verb "to near" ("se acerca")
PREPOSITIONS = (
    "in",
    "on",
    "under",
    "behind",
    "with",
    "without",
    "for",
    "from",
    "after",
    "before",
    "during",
    "across",
    "between",
    "inside",
    "outside",
)
NAMES = ("John", "Mary", "Peter", "Anna", "David", "Laura", "Paul", "Maria", "Thomas", "Sarah")
FREQUENCY_ADVERBS = ("always", "never", "often", "sometimes", "usually")
TIME_ADVERBS = {"present": ("today", "now"), "past": ("yesterday",), "future": ("tomorrow",)}
TENSES = ("present", "present", "past", "past", "future", "progressive")
# How long sentences join their clauses (each translates word for word in Apertium).
CONNECTORS = (", and", ", but", " because", " while", ", so", " and then", " although")


@dataclass(frozen=True)
class Sentence:
    """A generated English sentence and the grammar features it uses."""

    text: str
    features: frozenset[str]


class SentenceGenerator:
    """Random English sentences from a lexicon; the same seed gives the same sentences."""

    def __init__(self, lexicon: Lexicon, seed: int = 0) -> None:
        if not lexicon.nouns or not lexicon.verbs or not lexicon.adjectives:
            raise ValueError("the lexicon needs nouns, verbs and adjectives")
        self.lexicon = lexicon
        self.random = random.Random(seed)
        self.transitive = [verb for verb in lexicon.verbs if verb.transitive]
        self.intransitive = [verb for verb in lexicon.verbs if not verb.transitive]
        self.features: set[str] = set()

    def chance(self, probability: float) -> bool:
        """True with the given probability."""
        return self.random.random() < probability

    def choice(self, options: tuple[str, ...] | list) -> object:
        """One element of options, uniformly."""
        return options[self.random.randrange(len(options))]

    def noun(self) -> Noun:
        """A noun, biased towards the first (core and most frequent) part of the lexicon."""
        nouns = self.lexicon.nouns
        if self.chance(0.35):
            return nouns[self.random.randrange(min(len(nouns), 150))]
        return nouns[self.random.randrange(len(nouns))]

    def adjective(self) -> str:
        """An adjective, biased towards the core ones."""
        adjectives = self.lexicon.adjectives
        if self.chance(0.35):
            return adjectives[self.random.randrange(min(len(adjectives), 50))]
        return adjectives[self.random.randrange(len(adjectives))]

    def adjectives(self, most: int = 2) -> list[str]:
        """Zero, one or two distinct adjectives; adjective-noun phrases are frequent on purpose."""
        roll = self.random.random()
        count = 0 if roll < 0.4 else 1 if roll < 0.85 or most < 2 else 2
        chosen: list[str] = []
        while len(chosen) < count:
            adjective = self.adjective()
            if adjective not in chosen:
                chosen.append(adjective)
        if count:
            self.features.add("adjective" if count == 1 else "two_adjectives")
        return chosen

    def determiner(self, plural: bool, word_after: str) -> str:
        """A determiner that agrees in number; 'a' becomes 'an' before a vowel."""
        if plural:
            if self.chance(0.25):
                self.features.add("number")
                return str(self.choice(NUMBERS))
            determiner = str(self.choice(PLURAL_DETERMINERS))
        else:
            determiner = str(self.choice(SINGULAR_DETERMINERS))
        if determiner in ("my", "your", "his", "her", "our", "their"):
            self.features.add("possessive")
        if determiner == "a" and word_after[0] in "aeiou":
            return "an"
        return determiner

    def noun_phrase(self, plural: bool | None = None, depth: int = 0) -> tuple[str, bool]:
        """A noun phrase and whether it is plural; it may carry a PP, a relative clause, an 's."""
        plural = self.chance(0.4) if plural is None else plural
        self.features.add("plural" if plural else "singular")
        noun = self.noun()
        words = [*self.adjectives(), noun.plural if plural else noun.singular]
        if depth == 0 and self.chance(0.12):
            self.features.add("possessive")
            owner = str(self.choice(NAMES)) if self.chance(0.5) else f"the {self.noun().singular}"
            phrase = f"{owner}'s {' '.join(words)}"
        else:
            phrase = f"{self.determiner(plural, words[0])} {' '.join(words)}"
        if depth == 0 and self.chance(0.16):
            phrase += " " + self.prepositional_phrase(depth + 1)
        elif depth == 0 and self.chance(0.12):
            phrase += " " + self.relative_clause(plural)
        return phrase, plural

    def prepositional_phrase(self, depth: int = 0) -> str:
        """A preposition and a noun phrase."""
        self.features.add("prepositional_phrase")
        phrase, _ = self.noun_phrase(depth=depth + 1)
        return f"{self.choice(PREPOSITIONS)} {phrase}"

    def relative_clause(self, antecedent_plural: bool) -> str:
        """'that/who' + a short clause about the noun just named."""
        self.features.add("relative_clause")
        pronoun = "that" if self.chance(0.6) else "who"
        tense = str(self.choice(("present", "past")))
        verb = self.choice(self.transitive)
        if self.chance(0.5):  # subject relative: "the man who reads the book"
            person = "other" if antecedent_plural else "3sg"
            obj, _ = self.noun_phrase(depth=2)
            return f"{pronoun} {self.finite(verb, tense, person, negative=False)} {obj}"
        subject, plural = self.noun_phrase(depth=2)  # object relative: "the book that she read"
        return f"that {subject} {self.finite(verb, tense, '3sg' if not plural else 'other', False)}"

    def finite(self, verb: Verb, tense: str, person: str, negative: bool) -> str:
        """The verb group of a statement: 'eats', 'did not eat', 'will eat', 'is eating' ..."""
        if negative:
            self.features.add("negation")
        if tense == "present":
            if negative:
                return f"{'does' if person == '3sg' else 'do'} not {verb.base}"
            return verb.third if person == "3sg" else verb.base
        if tense == "past":
            return f"did not {verb.base}" if negative else verb.past
        if tense == "future":
            return f"will not {verb.base}" if negative else f"will {verb.base}"
        be = {"1sg": "am", "3sg": "is"}.get(person, "are")
        return f"{be} not {verb.gerund}" if negative else f"{be} {verb.gerund}"

    def subject(self) -> tuple[str, str]:
        """A subject (pronoun, name or noun phrase) and its person-number."""
        if self.chance(0.2):
            self.features.add("pronoun")
            pronoun, _, person = PRONOUNS[self.random.randrange(len(PRONOUNS))]
            return pronoun, person
        if self.chance(0.06):
            return str(self.choice(NAMES)), "3sg"
        phrase, plural = self.noun_phrase()
        return phrase, "other" if plural else "3sg"

    def object_phrase(self) -> str:
        """A direct object: mostly a noun phrase, sometimes a pronoun."""
        if self.chance(0.08):
            self.features.add("pronoun")
            return PRONOUNS[self.random.randrange(len(PRONOUNS))][1]
        return self.noun_phrase()[0]

    def tense(self) -> str:
        """A tense, recorded as a feature."""
        tense = str(self.choice(TENSES))
        self.features.add(tense)
        return tense

    def verb_and_object(self) -> tuple[Verb, str]:
        """A verb and what follows it: an object, or nothing for an intransitive verb."""
        if self.intransitive and self.chance(0.25):
            return self.choice(self.intransitive), ""
        return self.choice(self.transitive), " " + self.object_phrase()

    def ending(self, tense: str) -> str:
        """What may close a clause: a prepositional phrase, a manner or a time adverb."""
        parts = []
        if self.chance(0.45):
            parts.append(self.prepositional_phrase())
        if self.lexicon.adverbs and self.chance(0.15):
            self.features.add("adverb")
            parts.append(str(self.choice(self.lexicon.adverbs)))
        elif self.chance(0.1) and tense in TIME_ADVERBS:
            self.features.add("adverb")
            parts.append(str(self.choice(TIME_ADVERBS[tense])))
        return "".join(" " + part for part in parts)

    def statement(self) -> str:
        """'The old man did not read the red book in the garden.'"""
        subject, person = self.subject()
        tense = self.tense()
        verb, rest = self.verb_and_object()
        negative = self.chance(0.2)
        group = self.finite(verb, tense, person, negative)
        if tense == "present" and not negative and self.chance(0.15):
            self.features.add("adverb")
            group = f"{self.choice(FREQUENCY_ADVERBS)} {group}"
        return f"{subject} {group}{rest}{self.ending(tense)}."

    def copular(self) -> str:
        """'The cars were not very expensive.'"""
        self.features.add("copula")
        subject, person = self.subject()
        tense = str(self.choice(("present", "present", "past", "future")))
        self.features.add(tense)
        negative = self.chance(0.2)
        if negative:
            self.features.add("negation")
        adjectives = self.adjectives(most=2) or [self.adjective()]
        predicate = " and ".join(adjectives)
        if self.chance(0.15):
            predicate = "very " + predicate
        be = {
            "present": {"1sg": "am", "3sg": "is"}.get(person, "are"),
            "past": "was" if person in ("1sg", "3sg") else "were",
            "future": "will be",
        }[tense]
        negated = be.replace("will be", "will not be") if tense == "future" else f"{be} not"
        return f"{subject} {negated if negative else be} {predicate}."

    def there_is(self) -> str:
        """'There are three small boats on the lake.'"""
        phrase, plural = self.noun_phrase()
        tense = str(self.choice(("present", "past")))
        self.features.add(tense)
        be = ("are" if plural else "is") if tense == "present" else ("were" if plural else "was")
        return f"there {be} {phrase} {self.prepositional_phrase()}."

    # Apertium garbles most inverted questions ("Did the man read?" -> "Hizo el hombre leído?",
    # "Where are the cars?" -> "Dónde es los coches?"); these three shapes it translates well.
    def do_question(self) -> str:
        """'Do you like the red car?': do-support with a pronoun subject, present tense."""
        self.features.update(("question", "pronoun", "present"))
        subject = str(self.choice(("you", "they", "we", "I")))
        verb = self.choice(self.transitive)
        return f"do {subject} {verb.base} {self.object_phrase()}{self.ending('present')}?"

    def who_question(self) -> str:
        """'Who opened the old door?' / 'Who will not read these books?'"""
        self.features.add("question")
        tense = self.tense()
        verb, rest = self.verb_and_object()
        group = self.finite(verb, tense, "3sg", negative=self.chance(0.1))
        return f"who {group}{rest}{self.ending(tense)}?"

    def which_question(self) -> str:
        """'Which car is red?' / 'Which old houses were empty?'"""
        self.features.update(("question", "copula"))
        plural = self.chance(0.4)
        self.features.add("plural" if plural else "singular")
        noun = self.noun()
        words = [*self.adjectives(most=1), noun.plural if plural else noun.singular]
        tense = str(self.choice(("present", "past")))
        self.features.add(tense)
        be = ("are" if plural else "is") if tense == "present" else ("were" if plural else "was")
        return f"which {' '.join(words)} {be} {self.adjective()}?"

    def sentence(self) -> Sentence:
        """One sentence, capitalised and punctuated, with its features."""
        self.features = set()
        roll = self.random.random()
        if roll < 0.5:
            text = self.statement()
        elif roll < 0.65:
            text = self.copular()
        elif roll < 0.72:
            text = self.there_is()
        elif roll < 0.8:
            text = self.who_question()
        elif roll < 0.86:
            text = self.which_question()
        else:
            text = self.do_question()
        if self.chance(0.04) and text.endswith("."):  # two clauses joined by "and" / "but"
            self.features.add("coordination")
            text = f"{text[:-1]} {self.choice(('and', 'but'))} {self.statement()}"
        return Sentence(text[0].upper() + text[1:], frozenset(self.features))

    def long_sentence(self, min_words: int = 20, max_words: int = 40) -> Sentence | None:
        """Two to four statements joined by connectors, min_words to max_words long, or None
        when the clauses drawn do not fit."""
        self.features = {"long", "coordination"}
        text = self.statement()
        for _ in range(self.random.randrange(1, 4)):
            if len(text.split()) >= min_words and self.chance(0.5):
                break
            text = f"{text[:-1]}{self.choice(CONNECTORS)} {self.statement()}"
        if not min_words <= len(text.split()) <= max_words:
            return None
        return Sentence(text[0].upper() + text[1:], frozenset(self.features))

    def sentences(self, count: int) -> Iterator[Sentence]:
        """count sentences (duplicates possible; the corpus deduplicates)."""
        if count < 0:
            raise ValueError(f"count must be >= 0, got {count}")
        for _ in range(count):
            yield self.sentence()

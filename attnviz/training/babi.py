"""bAbI-style stories from our own generator (after Weston et al. 2015, "Towards AI-Complete
Question Answering").

Five tasks, each a story of one sentence per fact and one question last:
1 single supporting fact ("Where is Mary?"), 2 two supporting facts ("Where is the football?"
after someone carried it), 6 yes/no ("Is John in the kitchen?"), 11 basic coreference
("Then she went to the garden."), 12 conjunction ("Mary and John went to the kitchen.").
Every story records the sentences that support its answer, so a view (and the evaluation)
can check whether a hop attended to them.
"""

from __future__ import annotations

import dataclasses
import random

PEOPLE = ("Mary", "John", "Sandra", "Daniel")
PRONOUNS = {"Mary": "she", "Sandra": "she", "John": "he", "Daniel": "he"}
PLACES = ("bathroom", "bedroom", "garden", "hallway", "kitchen", "office")
OBJECTS = ("apple", "football", "milk")
MOVES = ("went to", "journeyed to", "travelled to", "moved to", "went back to")
GETS = ("got", "picked up", "grabbed", "took")
DROPS = ("dropped", "discarded", "put down", "left")
THEN = ("Then", "After that", "Afterwards", "Following that")
ANSWERS = (*PLACES, "yes", "no")
TASKS = (1, 2, 6, 11, 12)
TASK_NAMES = {
    1: "single supporting fact",
    2: "two supporting facts",
    6: "yes/no questions",
    11: "basic coreference",
    12: "conjunction",
}


@dataclasses.dataclass(frozen=True)
class Story:
    """One story: sentences, the question, the answer and the supporting sentences' indices."""

    task: int
    sentences: tuple[str, ...]
    question: str
    answer: str
    supporting: tuple[int, ...]  # indices into `sentences`

    @property
    def text(self) -> str:
        """The story as the model reads it: the sentences, then the question."""
        return " ".join((*self.sentences, self.question))


def _move(rng: random.Random, person: str, place: str) -> str:
    return f"{person} {rng.choice(MOVES)} the {place}."


def _task_1(rng: random.Random) -> Story:
    sentences, where, when = _moves(rng, rng.randint(2, 8))
    person = rng.choice(sorted(where))
    return Story(1, sentences, f"Where is {person}?", where[person], (when[person],))


def _moves(rng: random.Random, n: int) -> tuple[tuple[str, ...], dict, dict]:
    sentences, where, when = [], {}, {}
    for index in range(n):
        person, place = rng.choice(PEOPLE), rng.choice(PLACES)
        sentences.append(_move(rng, person, place))
        where[person], when[person] = place, index
    return tuple(sentences), where, when


def _task_6(rng: random.Random) -> Story:
    sentences, where, when = _moves(rng, rng.randint(2, 8))
    person = rng.choice(sorted(where))
    asked = where[person] if rng.random() < 0.5 else rng.choice(PLACES)
    answer = "yes" if asked == where[person] else "no"
    return Story(6, sentences, f"Is {person} in the {asked}?", answer, (when[person],))


def _task_11(rng: random.Random) -> Story:
    sentences: list[str] = []
    where, when = {}, {}
    last = None
    for index in range(rng.randint(2, 8)):
        place = rng.choice(PLACES)
        if last is not None and rng.random() < 0.5:
            sentences.append(
                f"{rng.choice(THEN)} {PRONOUNS[last]} {rng.choice(MOVES)} the {place}."
            )
            person = last
        else:
            person = rng.choice(PEOPLE)
            sentences.append(_move(rng, person, place))
        where[person], when[person], last = place, index, person
    person = rng.choice(sorted(where))
    return Story(11, tuple(sentences), f"Where is {person}?", where[person], (when[person],))


def _task_12(rng: random.Random) -> Story:
    sentences: list[str] = []
    where, when = {}, {}
    for index in range(rng.randint(2, 8)):
        place = rng.choice(PLACES)
        if rng.random() < 0.5:
            pair = rng.sample(PEOPLE, 2)
            sentences.append(f"{pair[0]} and {pair[1]} {rng.choice(MOVES)} the {place}.")
        else:
            pair = [rng.choice(PEOPLE)]
            sentences.append(_move(rng, pair[0], place))
        for person in pair:
            where[person], when[person] = place, index
    person = rng.choice(sorted(where))
    return Story(12, tuple(sentences), f"Where is {person}?", where[person], (when[person],))


def _task_2(rng: random.Random) -> Story:
    """People move and carry objects; the question asks where an object that was carried is."""
    while True:
        story = _carry_story(rng, rng.randint(4, 14))
        if story is not None:
            return story


def _carry_story(rng: random.Random, n: int) -> Story | None:
    sentences: list[str] = []
    where: dict[str, str] = {}  # person -> place
    moved_at: dict[str, int] = {}  # person -> sentence of the last move
    holder: dict[str, str] = {}  # object -> person holding it
    lying: dict[str, tuple[str, int]] = {}  # object -> (place, sentence that dropped it)
    got_at: dict[str, int] = {}  # object -> sentence of the last pick-up
    for index in range(n):
        person = rng.choice(PEOPLE)
        held = [o for o, p in holder.items() if p == person]
        free = [
            o
            for o in OBJECTS
            if o not in holder and (o not in lying or lying[o][0] == where.get(person))
        ]
        choice = rng.random()
        if person in where and held and choice < 0.25:
            thing = rng.choice(held)
            sentences.append(f"{person} {rng.choice(DROPS)} the {thing}.")
            del holder[thing]
            lying[thing] = (where[person], index)
        elif person in where and free and choice < 0.55:
            thing = rng.choice(free)
            sentences.append(f"{person} {rng.choice(GETS)} the {thing}.")
            holder[thing], got_at[thing] = person, index
            lying.pop(thing, None)
        else:
            place = rng.choice(PLACES)
            sentences.append(_move(rng, person, place))
            where[person], moved_at[person] = place, index
    carried = [o for o in OBJECTS if o in got_at]
    if not carried:
        return None
    thing = rng.choice(carried)
    if thing in holder:
        person = holder[thing]
        answer, supporting = where[person], (got_at[thing], moved_at[person])
    else:
        answer, dropped = lying[thing]
        supporting = (dropped,)
    return Story(2, tuple(sentences), f"Where is the {thing}?", answer, tuple(sorted(supporting)))


GENERATORS = {1: _task_1, 2: _task_2, 6: _task_6, 11: _task_11, 12: _task_12}


def generate(task: int, n: int, seed: int) -> list[Story]:
    """`n` stories of one task, the same for the same seed."""
    if task not in GENERATORS:
        raise ValueError(f"Unknown bAbI task {task}; our generator has tasks {TASKS}.")
    rng = random.Random(f"babi-{task}-{seed}")
    return [GENERATORS[task](rng) for _ in range(n)]


def held_out(task: int, n: int, seed: int, training: set[str]) -> list[Story]:
    """`n` stories of `task` whose text is not among the `training` texts."""
    stories: list[Story] = []
    attempt = 0
    while len(stories) < n:
        for story in generate(task, n, seed * 1000 + attempt):
            if story.text not in training and len(stories) < n:
                stories.append(story)
        attempt += 1
    return stories

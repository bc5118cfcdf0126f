"""Our bAbI-style generator: the vocabulary the issue names, the format, and answers checked
by a separate reader of the stories' sentences."""

from __future__ import annotations

import re

import pytest

from attnviz.training import babi

MOVE = re.compile(
    r"^(?:(?:Then|After that|Afterwards|Following that) )?(\w+)(?: and (\w+))? "
    r"(?:went back to|went to|journeyed to|travelled to|moved to) the (\w+)\.$"
)
GET = re.compile(r"^(\w+) (?:got|picked up|grabbed|took) the (\w+)\.$")
DROP = re.compile(r"^(\w+) (?:dropped|discarded|put down|left) the (\w+)\.$")
PRONOUN = {"she", "he"}


def read_story(sentences):
    """Where each person and object is after the story, read from the text alone."""
    person_at, holder, object_at, last = {}, {}, {}, None
    for sentence in sentences:
        if match := MOVE.match(sentence):
            people = [p for p in match.groups()[:2] if p]
            people = [last if p in PRONOUN else p for p in people]
            for person in people:
                person_at[person] = match.group(3)
            for thing, who in holder.items():
                if who in people:
                    object_at[thing] = match.group(3)
            last = people[-1]
        elif match := GET.match(sentence):
            holder[match.group(2)] = match.group(1)
            object_at[match.group(2)] = person_at[match.group(1)]
            last = match.group(1)
        elif match := DROP.match(sentence):
            holder.pop(match.group(2))
            object_at[match.group(2)] = person_at[match.group(1)]
            last = match.group(1)
        else:
            raise AssertionError(f"unreadable sentence {sentence!r}")
    return person_at, object_at


def expected_answer(story):
    person_at, object_at = read_story(story.sentences)
    if match := re.match(r"^Where is the (\w+)\?$", story.question):
        return object_at[match.group(1)]
    if match := re.match(r"^Where is (\w+)\?$", story.question):
        return person_at[match.group(1)]
    match = re.match(r"^Is (\w+) in the (\w+)\?$", story.question)
    return "yes" if person_at[match.group(1)] == match.group(2) else "no"


@pytest.mark.parametrize("task", babi.TASKS)
def test_every_answer_agrees_with_an_independent_reading_of_the_story(task):
    for story in babi.generate(task, 300, seed=7):
        assert story.answer == expected_answer(story), story.text


@pytest.mark.parametrize("task", babi.TASKS)
def test_one_fact_per_sentence_ending_in_a_full_stop_and_the_question_last(task):
    for story in babi.generate(task, 100, seed=1):
        assert story.sentences and all(s.endswith(".") for s in story.sentences)
        assert story.question.endswith("?") and story.text.endswith(story.question)
        assert all(0 <= i < len(story.sentences) for i in story.supporting)


def test_the_supporting_fact_of_task_1_is_the_persons_last_move():
    for story in babi.generate(1, 200, seed=2):
        person = story.question.split()[-1].rstrip("?")
        (index,) = story.supporting
        assert story.sentences[index].startswith(person)
        assert not any(s.startswith(person) for s in story.sentences[index + 1 :])


def test_the_vocabulary_covers_what_the_issue_names():
    text = " ".join(s.text for task in babi.TASKS for s in babi.generate(task, 400, seed=3))
    for word in (*babi.PEOPLE, *babi.PLACES, *babi.OBJECTS, *babi.MOVES, *babi.GETS, *babi.DROPS):
        assert word in text, word


def test_yes_and_no_are_balanced_in_task_6():
    answers = [s.answer for s in babi.generate(6, 1000, seed=4)]
    assert 0.4 < answers.count("yes") / len(answers) < 0.6


def test_generation_is_seeded_and_held_out_stories_are_new():
    assert babi.generate(2, 50, seed=5) == babi.generate(2, 50, seed=5)
    training = {s.text for s in babi.generate(1, 2000, seed=1)}
    held_out = babi.held_out(1, 200, seed=9, training=training)
    assert len(held_out) == 200 and not {s.text for s in held_out} & training


def test_an_unknown_task_is_refused():
    with pytest.raises(ValueError, match="tasks"):
        babi.generate(3, 1, seed=0)

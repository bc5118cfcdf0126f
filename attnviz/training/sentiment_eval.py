"""Score the shipped sentiment models through their own `run`, the path the app uses."""

from __future__ import annotations

import collections
from collections.abc import Sequence
from pathlib import Path

from attnviz.training.sentiment_data import LABELS, Example, everyday_reviews, read_split

TARGETS = {"sentiment-bigru": 0.76, "sentiment-minilm": 0.84}  # test accuracy (issue 14)
REVIEW_GROUPS = ("films", "restaurants", "products")  # the everyday file's blocks of 24


def accuracy_of(model: object, examples: Sequence[Example]) -> tuple[float, list[int]]:
    """Accuracy of `model.run(text).output_text` against the labels; the indices it got wrong."""
    wrong = [
        index
        for index, (text, label) in enumerate(examples)
        if model.run(text).output_text != LABELS[label]  # type: ignore[attr-defined]
    ]
    return 1 - len(wrong) / max(len(examples), 1), wrong


def evaluate_sentiment(name: str, data: Path) -> dict:
    """Test-split and everyday-review accuracy of a shipped sentiment model, with its target."""
    import attnviz

    model = attnviz.load(name)
    test = read_split(data, "test")
    test_accuracy, _ = accuracy_of(model, test)
    reviews = everyday_reviews()
    everyday_accuracy, wrong = accuracy_of(model, reviews)
    size = len(reviews) // len(REVIEW_GROUPS)
    misses = collections.Counter(REVIEW_GROUPS[min(i // size, 2)] for i in wrong)
    target = TARGETS[name]
    return {
        "model": name,
        "test_sentences": len(test),
        "test_accuracy": round(test_accuracy, 4),
        "target_test_accuracy": target,
        "test_target_met": test_accuracy >= target,
        "everyday_reviews": len(reviews),
        "everyday_accuracy": round(everyday_accuracy, 4),
        "everyday_target_met": everyday_accuracy >= target,
        "everyday_accuracy_by_group": {
            group: round(1 - misses[group] / size, 4) for group in REVIEW_GROUPS
        },
        "everyday_missed": [reviews[i][0] for i in wrong],
    }

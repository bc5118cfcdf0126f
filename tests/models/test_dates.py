"""`bahdanau-dates`: the data generator and the shipped model."""

from __future__ import annotations

import datetime
import random

import numpy as np
import pytest
import torch

from attnviz.models import dates
from attnviz.models.rnn import RNNModel
from attnviz.training.dates_data import (
    WEEKDAYS,
    held_out_pairs,
    is_held_out,
    sample_pairs,
    write_date,
)
from attnviz.training.dates_train import exact_accuracy

torch.set_num_threads(1)

KNOWN = {
    "Thursday, 27 November 2026": "2026-11-27",
    "11/27/26": "2026-11-27",
    "27.11.2026": "2026-11-27",
    "Nov 27th 2026": "2026-11-27",
    "the 1st of March 1999": "1999-03-01",
    "JULY 4, 1976": "1976-07-04",
}


@pytest.fixture(scope="module")
def model() -> RNNModel:
    return dates.load_bahdanau_dates()


def test_training_and_held_out_dates_do_not_overlap() -> None:
    train = {iso for _, iso in sample_pairs(3000, seed=0)}
    test = {iso for _, iso in held_out_pairs(500)}
    assert not train & test
    assert all(is_held_out(datetime.date.fromisoformat(iso)) for iso in test)


def test_written_weekdays_are_true() -> None:
    rng = random.Random(0)
    for _ in range(300):
        date = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
        text = write_date(date, rng).lower()
        named = [day for day in WEEKDAYS if text.startswith(day[:3].lower())]
        assert named in ([], [WEEKDAYS[date.weekday()]])


def test_pairs_are_seeded() -> None:
    assert sample_pairs(50, seed=3) == sample_pairs(50, seed=3)


@pytest.mark.parametrize(("text", "expected"), list(KNOWN.items()))
def test_known_dates(model: RNNModel, text: str, expected: str) -> None:
    assert model.run(text).output_text == expected


def test_held_out_accuracy(model: RNNModel) -> None:
    with torch.inference_mode():
        assert exact_accuracy(model.network, held_out_pairs(1000, seed=7)) >= 0.99


def test_run_is_a_character_alignment(model: RNNModel) -> None:
    run = model.run("27 Nov 2026")
    assert run.source_tokens == ("2", "7", "␣", "N", "o", "v", "␣", "2", "0", "2", "6", "[EOS]")
    assert run.target_tokens == (*tuple("2026-11-27"), "[EOS]")
    cross = run.maps["cross"]
    assert cross.weights.shape == (1, 1, 11, 12)
    np.testing.assert_allclose(cross.weights.sum(-1), 1.0, atol=1e-5)
    # The year's last digit is read from the year's last digit.
    assert run.source_tokens[int(cross.head(0, 0)[3].argmax())] == "6"
    assert model.info.name == "bahdanau-dates"


def test_unknown_characters_are_shown(model: RNNModel) -> None:
    run = model.run("27 Nov 2026 ☃")
    assert "[UNK]" in run.source_tokens


def test_empty_text_is_refused(model: RNNModel) -> None:
    with pytest.raises(ValueError, match="empty"):
        model.run("")


@pytest.mark.parametrize("text", ["hello world", "tomorrow", "2026", "next Friday"])
def test_text_without_a_date_is_refused_in_one_sentence(model: RNNModel, text: str) -> None:
    with pytest.raises(ValueError, match="holds no date to normalise"):
        model.run(text)


def test_an_impossible_date_is_normalised_with_a_warning(model: RNNModel) -> None:
    run = model.run("31 Feb 2020")
    assert run.output_text == "2020-02-31"
    assert any("is not a real date" in note for note in run.notes)
    assert not any("real date" in note for note in model.run("28 Feb 2020").notes)

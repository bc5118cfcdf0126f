"""The held-out sets: enough sentences, well formed, and never trained on."""

from __future__ import annotations

import re

from attnviz.training import heldout
from attnviz.training.heldout import copied_share
from attnviz.training.heldout_eval import figures


def test_sets_are_large_enough_and_well_formed() -> None:
    everyday = heldout.read_set("everyday")
    names = heldout.read_set("names_numbers")
    long = heldout.read_set("long")
    assert len(everyday) >= 40 and len(names) >= 40 and len(long) >= 20
    assert all(pair.english and pair.spanish for pair in everyday + names + long)
    assert all(20 <= len(pair.english.split()) <= 40 for pair in long)
    assert all(pair.required for pair in names)
    for pair in names:  # what must be copied is in our own reference
        for required in pair.required:
            assert re.search(rf"(?<!\w){re.escape(required)}(?!\w)", pair.spanish), pair
    questions = [p for p in everyday if p.english.endswith("?")]
    assert questions and all("¿" in p.spanish for p in questions)
    assert any("n't" in p.english for p in everyday)


def test_keys_ignore_case_and_spacing() -> None:
    assert heldout.key("Where is  the nearest BANK?") == heldout.key("where is the nearest bank?")
    assert heldout.key("Where is the nearest bank?") in heldout.english_keys()


def test_copied_share_counts_whole_words_only() -> None:
    pairs = [
        heldout.HeldOutPair("I have 25 cats.", "Tengo 25 gatos.", ("25",)),
        heldout.HeldOutPair("Ana is 3.", "Ana tiene 3 años.", ("Ana", "3")),
    ]
    assert copied_share(["Tengo 25 gatos.", "Ana tiene 3 años."], pairs) == 1.0
    assert copied_share(["Tengo 255 gatos.", "Anabel tiene 3 años."], pairs) == 1 / 3


def test_a_perfect_translator_scores_100_everywhere() -> None:
    references = {
        p.english: p.spanish for name in heldout.SET_NAMES for p in heldout.read_set(name)
    }
    result = figures(lambda texts: [references[t] for t in texts])
    assert result["everyday_chrf"] == 100.0
    assert result["names_numbers_copied"] == 1.0
    assert result["long_chrf_vs_apertium"] == 100.0
    echo = figures(lambda texts: list(texts))  # English back: poor Spanish, names kept
    assert echo["everyday_chrf"] < 40 and echo["names_numbers_copied"] < 1.0


def test_translate_texts_decodes_as_the_page_does_greedy_and_with_a_beam() -> None:
    """The evaluation's batched greedy texts and its beam texts are what `run` shows."""
    import torch

    from attnviz.training.train_mt import load_shipped, translate_texts

    torch.set_num_threads(1)
    model = load_shipped("bahdanau-en-es")
    texts = ["Where is the train station?", "My sister lives in Paris with 2 cats."]
    greedy = translate_texts(model, "rnn", texts)
    beam = translate_texts(model, "rnn", texts, beam=3)
    assert greedy == [model.run(text).output_text for text in texts]
    assert beam == [model.run(text, beam=3).output_text for text in texts]
    assert all(beam) and all(greedy)

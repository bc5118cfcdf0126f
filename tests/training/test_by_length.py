"""Quality by sentence length: the buckets, the held-out sentences, the shipped figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from attnviz.training import by_length
from attnviz.training.heldout import key, read_set


def test_every_held_out_sentence_falls_in_a_bucket_with_enough_sentences() -> None:
    pairs = by_length.heldout_pairs()
    counts = [0] * len(by_length.BUCKETS)
    for pair in pairs:
        counts[by_length.bucket_of(pair.english)] += 1
    assert min(counts) >= 20, counts
    assert len({key(p.english) for p in pairs}) == len(pairs)  # no sentence twice


def test_lengths_set_is_new_and_well_formed() -> None:
    lengths = read_set("lengths")
    others = {
        key(p.english) for name in ("everyday", "names_numbers", "long") for p in read_set(name)
    }
    assert len(lengths) >= 80 and all(p.spanish for p in lengths)
    assert not others & {key(p.english) for p in lengths}
    assert all(5 <= len(p.english.split()) <= 40 for p in lengths)


@pytest.mark.parametrize(("words", "bucket"), [(1, 0), (9, 0), (10, 1), (29, 2), (30, 3), (40, 3)])
def test_bucket_edges(words: int, bucket: int) -> None:
    assert by_length.bucket_of(" ".join(["word"] * words)) == bucket


def test_a_sentence_outside_the_buckets_is_refused() -> None:
    with pytest.raises(ValueError, match="41 words"):
        by_length.bucket_of(" ".join(["word"] * 41))


def test_a_perfect_translator_scores_100_in_every_bucket_and_an_echo_much_less() -> None:
    pairs = by_length.heldout_pairs()
    references = {p.english: p.spanish for p in pairs}
    assert by_length.bucket_figures(lambda t: [references[x] for x in t], pairs) == [100.0] * 4
    assert max(by_length.bucket_figures(lambda t: list(t), pairs)) < 50


def test_the_shipped_figures_show_attention_winning_on_long_sentences() -> None:
    result = by_length.read_result()
    assert set(result["chrf"]) == set(by_length.MODELS)
    assert [b["words"] for b in result["buckets"]] == ["1-9", "10-19", "20-29", "30-40"]
    counts = [b["sentences"] for b in result["buckets"]]
    pairs = by_length.heldout_pairs()
    assert counts == [sum(by_length.bucket_of(p.english) == i for p in pairs) for i in range(4)]
    rnnenc, bahdanau = result["chrf"]["rnnenc-en-es"], result["chrf"]["bahdanau-en-es"]
    # The target: on held-out long sentences attention wins by at least 5 chrF.
    assert bahdanau[2] - rnnenc[2] >= 5 and bahdanau[3] - rnnenc[3] >= 5


def test_a_missing_or_damaged_result_gets_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="by-length writes them"):
        by_length.read_result(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text(json.dumps({"chrf": []}), encoding="utf-8")
    with pytest.raises(ValueError, match="cannot be read"):
        by_length.read_result(tmp_path / "bad.json")

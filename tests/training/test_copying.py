"""Swapped names and numbers: both sides change together, agreement and held-out sets kept."""

from __future__ import annotations

import random
import re

from attnviz.training import copying, corpus, heldout
from attnviz.training.corpus import Pair


def test_a_shared_name_and_number_are_swapped_on_both_sides() -> None:
    rng = random.Random(0)
    english, spanish = copying.swap_pair(
        "John has 25 cats in Madrid.", "John tiene 25 gatos en Madrid.", {"John"}, ["Trelios"], rng
    )
    assert english.startswith("Trelios has ") and spanish.startswith("Trelios tiene ")
    number = english.split()[2]
    assert number.isdigit() and number != "25" and 2 <= int(number) <= 31
    assert f" {number} gatos" in spanish and "Madrid" in english and "Madrid" in spanish


def test_only_what_both_sides_share_is_swapped() -> None:
    def swap(english: str, spanish: str, names: set[str]) -> tuple[str, str] | None:
        return copying.swap_pair(english, spanish, names, ["X"], random.Random(0))

    # Apertium writes London as Londres; "Juan" is not a copy of "John".
    assert swap("John went to London.", "Juan fue a Londres.", {"John", "London"}) is None
    # 1 stays 1 (un gato, dos gatos); a number inside a decimal is left alone.
    assert swap("I have 1 cat.", "Tengo 1 gato.", set()) is None
    assert swap("It costs 2.50 euros.", "Cuesta 2.50 euros.", set()) is None


def test_made_up_names_avoid_the_forbidden_words() -> None:
    rng = random.Random(3)
    forbidden = {copying.made_up_name(random.Random(3)).lower()}
    pool = copying.name_pool(["Rose", "Ngata"], 50, forbidden | {"rose"}, rng)
    assert len(pool) == len(set(pool)) == 50
    assert "Rose" not in pool and "Ngata" in pool
    assert not {name.lower() for name in pool} & forbidden


def test_copies_go_to_training_only_and_never_repeat_a_kept_or_held_out_sentence() -> None:
    held = heldout.read_set("names_numbers")[0]  # "Sarah and Tom went to London in 2019."
    kept = [
        Pair("Tom has 3 dogs.", "everyday", "Tom tiene 3 perros."),
        Pair("The dog sleeps.", "everyday", "El perro duerme."),
    ]
    kept = [p for p in kept if corpus.split_of(p.english) == "train"]
    copies = corpus.copied_pairs(kept, 20, seed=0)
    assert copies and all(p.split == "train" and p.source == "copying" for p in copies)
    keys = {heldout.key(p.english) for p in copies}
    assert len(keys) == len(copies)
    assert heldout.key(held.english) not in keys
    assert not keys & {heldout.key(p.english) for p in kept}
    for pair in copies:
        name, _, number = pair.english.split()[:3]
        assert pair.spanish == f"{name} tiene {number} perros."


def test_more_copies_leave_out_every_sentence_they_are_told_is_taken() -> None:
    train = [("Tom has 3 dogs.", "Tom tiene 3 perros."), ("Ana sleeps.", "Ana duerme.")]
    first = corpus.swapped_copies(train, 10, seed=1, taken=set())
    assert len(first) == 10
    taken = {heldout.key(english) for english, _ in first[:5]}
    again = corpus.swapped_copies(train, 10, seed=1, taken=taken)
    assert not {heldout.key(english) for english, _ in again} & taken
    assert again and set(again) <= set(first)


def test_a_training_with_extra_copies_trains_on_them(tmp_path, monkeypatch) -> None:
    from attnviz.training import train_mt
    from tests.training.tiny_corpus import write_corpus

    corpus_dir, weights, _ = write_corpus(tmp_path)
    (corpus_dir / "train.tsv").write_text("Tom has 3 dogs.\tTom tiene 3 perros.\n" * 4)
    seen = []

    def fit(network, examples, *args, **kwargs):
        seen.append(len(examples))
        return {"steps": 0}

    monkeypatch.setattr(train_mt, "fit", fit)
    messages: list[str] = []
    for extra in (0, 12):
        train_mt.train_mt(
            "bahdanau-en-es",
            messages.append,
            minutes=0.01,
            corpus_dir=corpus_dir,
            weights_dir=weights,
            extra_copies=extra,
        )
    assert seen == [4, 16]
    assert any("12 more training pairs with other names and numbers" in m for m in messages)


def test_copy_checks_name_what_they_swapped_in_and_their_references_copy_it() -> None:
    valid = [("Tom has 3 dogs.", "Tom tiene 3 perros."), ("The dog sleeps.", "El perro duerme.")]
    checks = corpus.copy_checks(valid, 6, seed=5, taken={heldout.key("Tom has 3 dogs.")})
    assert len(checks) == 6
    for check in checks:
        name, _, number = check.english.split()[:3]
        assert check.required == (name, number) and check.spanish.startswith(f"{name} tiene")
    assert heldout.copied_share([c.spanish for c in checks], checks) == 1.0
    assert heldout.copied_share(["Tom tiene 3 perros."] * 6, checks) == 0.0


def test_with_extra_copies_checkpoints_are_scored_on_copying_too(tmp_path) -> None:
    from attnviz.training import train_mt
    from tests.training.tiny_corpus import write_corpus

    corpus_dir, weights, _ = write_corpus(tmp_path)
    with (corpus_dir / "valid.tsv").open("a", encoding="utf-8") as valid:
        valid.write("Tom has 3 dogs.\tTom tiene 3 perros.\n")
    messages: list[str] = []
    progress = train_mt.train_mt(
        "bahdanau-en-es",
        messages.append,
        minutes=0.01,
        corpus_dir=corpus_dir,
        weights_dir=weights,
        extra_copies=5,
    )
    assert any(re.search(r"scored on copying in [1-8] validation sentences", m) for m in messages)
    scored = [m for m in messages if m.startswith("validation chrF") and "copied" in m]
    assert scored and 0 <= progress["valid_copied"] <= 1
    chrf_value = progress["valid_chrf"]
    assert progress["best_valid_score"] == (chrf_value + 100 * progress["valid_copied"]) / 2

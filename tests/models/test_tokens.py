"""The shared byte-pair tokenizer of the translators: digits one piece each, lossless text,
pieces shown WordPiece-style, and names split alike in both languages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from attnviz.models.tokens import SubwordTokenizer, display_pieces

ROOT = Path(__file__).resolve().parents[2]

CORPUS = [
    "¿Dónde está la estación de tren?",
    "Where is the train station?",
    "I have 25 cats and 3 dogs.",
    "Tengo 25 gatos y 3 perros.",
    "John and Mary went to London in 2019.",
    "John y Mary fueron a Londres en 2019.",
    "The black cat sleeps on the red sofa.",
    "El gato negro duerme en el sofá rojo.",
] * 20


@pytest.fixture(scope="module")
def shared() -> SubwordTokenizer:
    return SubwordTokenizer.train_bpe(CORPUS, 700)


def test_every_digit_is_a_piece_of_its_own(shared: SubwordTokenizer) -> None:
    _, tokens = shared.encode("I have 2019 cats and 125 dogs.")
    digits = [token for token in tokens if token.strip("#").isdigit()]
    assert digits == ["2", "##0", "##1", "##9", "1", "##2", "##5"]
    assert "␣" not in tokens


@pytest.mark.parametrize(
    "text",
    [
        "I have 25 cats and 3 dogs.",
        "¿Dónde está Zorbek Kowalczyk?",
        "It costs 3.50 euros, doesn't it?",
        "Tengo 1.000 gatos: ¡muchos!",
    ],
)
def test_decoding_gives_back_the_text(shared: SubwordTokenizer, text: str) -> None:
    ids, tokens = shared.encode(text)
    assert shared.decode(ids) == text
    assert shared.tokens_of(ids) == tokens


def test_an_unseen_name_splits_into_the_same_pieces_in_both_languages(
    shared: SubwordTokenizer,
) -> None:
    english, _ = shared.encode("Zorbek went to London.")
    spanish, _ = shared.encode("Zorbek fue a Londres.")
    assert english[:3] == spanish[:3] or english[0] == spanish[0]
    name_pieces = shared.encode("Zorbek")[0]
    assert len(name_pieces) > 1  # never seen: in pieces, none of them unknown
    assert english[: len(name_pieces)] == spanish[: len(name_pieces)] == name_pieces


def test_pieces_are_shown_with_continuation_marks() -> None:
    assert display_pieces(["▁fal", "so", "▁2", "0", ".", "▁¿", "Dónde", "[EOS]"]) == [
        "fal",
        "##so",
        "2",
        "##0",
        ".",
        "¿",
        "Dónde",
        "[EOS]",
    ]


def test_saved_and_loaded_tokenizer_is_the_same(shared: SubwordTokenizer, tmp_path: Path) -> None:
    shared.save(tmp_path / "tokenizer.json")
    loaded = SubwordTokenizer.load(tmp_path / "tokenizer.json")
    text = "Mary has 12 red cars."
    assert loaded.encode(text) == shared.encode(text)
    assert loaded.marks_word_starts


def test_characters_outside_the_alphabet_are_visible_unknowns(shared: SubwordTokenizer) -> None:
    ids, tokens = shared.encode("The cat 猫.")
    assert "[UNK]" in tokens
    assert "[UNK]" in shared.decode(ids)


TRAIN_AND_PRINT = """
import json, sys
from attnviz.models.tokens import SubwordTokenizer
texts = ["the red car", "el coche rojo", "John has 25 cats", "John tiene 25 gatos"] * 10
train = SubwordTokenizer.train_bpe if sys.argv[1] == "bpe" else SubwordTokenizer.train
print(json.dumps(train(texts, vocab_size=60).encode("John has 25 red cars")))
"""


@pytest.mark.parametrize("kind", ["wordpiece", "bpe"])
def test_the_same_texts_give_the_same_ids_in_every_process(kind: str) -> None:
    """The trainers number pieces in a hash order of their own; ours are sorted."""
    runs = {
        subprocess.run(
            [sys.executable, "-c", TRAIN_AND_PRINT, kind],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        for _ in range(3)
    }
    assert len(runs) == 1

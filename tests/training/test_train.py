"""Trainers: batches, tokenizers, the shared loop, and a live dates run on a small budget."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import torch

from attnviz.models import rnn, transformer
from attnviz.models.tokens import BOS_ID, EOS_ID, PAD_ID, UNK, SubwordTokenizer, detokenize
from attnviz.training import train_mt
from attnviz.training.dates_train import train_dates
from attnviz.training.train import (
    TrainConfig,
    batch_loss,
    encode_pairs,
    fit,
    learning_rate,
    make_batch,
)

torch.set_num_threads(1)

SAMPLE = [
    ("the red car", "el coche rojo"),
    ("the black cat", "el gato negro"),
    ("a white dog", "un perro blanco"),
    ("the red cat", "el gato rojo"),
    ("a black car", "un coche negro"),
    ("the white car", "el coche blanco"),
    ("a red dog", "un perro rojo"),
    ("where is the cat?", "¿dónde está el gato?"),
] * 4


@pytest.fixture(scope="module")
def tokenizers() -> tuple[SubwordTokenizer, SubwordTokenizer]:
    source = SubwordTokenizer.train((e for e, _ in SAMPLE), vocab_size=200)
    target = SubwordTokenizer.train((s for _, s in SAMPLE), vocab_size=200)
    return source, target


def test_make_batch_pads_and_shifts() -> None:
    batch = make_batch([([5, 6, EOS_ID], [7, 8, EOS_ID]), ([9, EOS_ID], [10, EOS_ID])])
    assert batch.source.tolist() == [[5, 6, EOS_ID], [9, EOS_ID, PAD_ID]]
    assert batch.lengths.tolist() == [3, 2]
    assert batch.target_inputs.tolist() == [[BOS_ID, 7, 8], [BOS_ID, 10, PAD_ID]]
    assert batch.target_outputs.tolist() == [[7, 8, EOS_ID], [10, EOS_ID, PAD_ID]]


def test_learning_rate_warms_up_then_decays() -> None:
    config = TrainConfig(learning_rate=1e-3, warmup_steps=10, decay_from=100)
    assert learning_rate(0, config) == pytest.approx(1e-4)
    assert learning_rate(50, config) == pytest.approx(1e-3)
    assert learning_rate(400, config) == pytest.approx(5e-4)


def test_tokenizer_shows_unknown_pieces(
    tokenizers: tuple[SubwordTokenizer, SubwordTokenizer],
) -> None:
    source, _ = tokenizers
    ids, tokens = source.encode("the red 猫 car")
    assert tokens == ["the", "red", UNK, "car"]
    assert len(ids) == len(tokens)


def test_tokenizer_round_trip(
    tmp_path: Path, tokenizers: tuple[SubwordTokenizer, SubwordTokenizer]
) -> None:
    _, target = tokenizers
    target.save(tmp_path / "t.json")
    again = SubwordTokenizer.load(tmp_path / "t.json")
    ids, _ = again.encode("¿dónde está el coche rojo?")
    assert again.decode(ids) == "¿dónde está el coche rojo?"


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (["El", "coche", "rojo", "es", "grande", "."], "El coche rojo es grande."),
        (["¿", "Dónde", "está", "?", "[EOS]"], "¿Dónde está?"),
        (["co", "##che", "de", "3", ".", "5", "m"], "coche de 3.5 m"),
        (["un", "[UNK]", "gato"], "un [UNK] gato"),
    ],
)
def test_detokenize(tokens: list[str], text: str) -> None:
    assert detokenize(tokens) == text


@pytest.mark.parametrize("family", ["rnn", "transformer"])
def test_fit_lowers_the_loss(
    family: str, tokenizers: tuple[SubwordTokenizer, SubwordTokenizer]
) -> None:
    source, target = tokenizers
    sizes = {"source_vocab": source.vocab_size, "target_vocab": target.vocab_size}
    torch.manual_seed(0)
    if family == "rnn":
        network = rnn.RNNTranslator(
            rnn.RNNConfig(
                embedding=16,
                encoder_hidden=16,
                decoder_hidden=32,
                attention_hidden=16,
                output_hidden=16,
                **sizes,
            )
        )
    else:
        network = transformer.TransformerTranslator(
            transformer.TransformerConfig(
                d_model=32, d_ff=64, encoder_layers=1, decoder_layers=1, **sizes
            )
        )
    examples = encode_pairs(SAMPLE, source, target, 20, 20)
    everything = make_batch(examples)
    network.eval()
    with torch.inference_mode():
        before = batch_loss(network, everything, 0.0).item()
    config = TrainConfig(
        batch_size=8,
        learning_rate=5e-3,
        warmup_steps=5,
        decay_from=100,
        epochs=15,
        validate_every=1000,
    )
    fit(network, examples, config)
    assert not network.training
    with torch.inference_mode():
        after = batch_loss(network, everything, 0.0).item()
    assert after < 0.5 * before


def test_fit_stops_when_asked(tokenizers: tuple[SubwordTokenizer, SubwordTokenizer]) -> None:
    source, target = tokenizers
    network = rnn.RNNTranslator(
        rnn.RNNConfig(
            source_vocab=source.vocab_size,
            target_vocab=target.vocab_size,
            embedding=8,
            encoder_hidden=8,
            decoder_hidden=16,
        )
    )
    examples = encode_pairs(SAMPLE, source, target, 20, 20)
    progress = fit(
        network, examples, TrainConfig(batch_size=4), should_stop=lambda p: p["step"] >= 3
    )
    assert progress["step"] == 3


def test_dates_train_live_on_a_small_budget() -> None:
    """The classroom trains this live: 97% exact on held-out dates within 500 steps (about 20 s
    on one idle thread). A step budget, not seconds, so a busy machine cannot fail the test."""
    reports: list[dict] = []
    model, progress = train_dates(
        seconds=600,
        target_accuracy=0.97,
        training_pairs=15_000,
        report=reports.append,
        max_steps=500,
    )
    assert progress["accuracy"] >= 0.97, progress
    assert reports and all("loss" in r for r in reports)
    assert model.run("27 November 2026").output_text == "2026-11-27"


def test_dates_training_can_be_stopped() -> None:
    stop = threading.Event()
    stop.set()
    _, progress = train_dates(seconds=30, stop=stop, training_pairs=2000)
    assert progress["step"] == 1


def test_read_pairs_skips_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "train.tsv"
    path.write_text("the cat\tel gato\nno tab here\n\tsolo\nthe dog\tel perro\n", encoding="utf-8")
    assert train_mt.read_pairs(path) == [("the cat", "el gato"), ("the dog", "el perro")]

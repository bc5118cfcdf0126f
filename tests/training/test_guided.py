"""Guided alignment for warm-started Luong models, and shipping only what beats the shipped."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from attnviz.models import rnn
from attnviz.models.tokens import SubwordTokenizer
from attnviz.training import train_mt
from attnviz.training.train import TrainConfig, alignment_guide, encode_pairs, fit, make_batch
from tests.training.tiny_corpus import PAIRS, write_corpus

torch.set_num_threads(1)
SIZES = {"embedding": 8, "encoder_hidden": 8, "decoder_hidden": 16, "output_hidden": 8}


def tiny(score: str, vocab: int, seed: int) -> rnn.RNNTranslator:
    torch.manual_seed(seed)
    config = rnn.RNNConfig(score=score, source_vocab=vocab, target_vocab=vocab, **SIZES)
    return rnn.RNNTranslator(config)


def cross_entropy_to(teacher: rnn.RNNTranslator, student: rnn.RNNTranslator, batch) -> float:
    student.eval()
    with torch.no_grad():
        outputs = student(batch.source, batch.lengths, batch.target_inputs)
        return alignment_guide(teacher)(batch, outputs).item()


def test_the_guide_is_smallest_for_the_teachers_own_weights() -> None:
    tokenizer = SubwordTokenizer.train([t for pair in PAIRS for t in pair], vocab_size=60)
    examples = encode_pairs(PAIRS[:2], tokenizer, tokenizer, 20, 20)
    batch = make_batch(examples)
    teacher = tiny("additive", tokenizer.vocab_size, seed=1).eval()
    other = tiny("general", tokenizer.vocab_size, seed=2)
    with torch.no_grad():
        weights = teacher(batch.source, batch.lengths, batch.target_inputs)["weights"]
    real = batch.target_outputs != 0
    entropy = -(weights * weights.clamp_min(1e-9).log()).sum(-1)[real].mean().item()
    assert cross_entropy_to(teacher, teacher, batch) == pytest.approx(entropy, abs=1e-5)
    assert cross_entropy_to(teacher, other, batch) > entropy + 1e-3


@pytest.mark.parametrize("score", ["dot", "general"])
def test_guided_training_brings_a_luong_score_to_the_teachers_alignment(score: str) -> None:
    tokenizer = SubwordTokenizer.train([t for pair in PAIRS for t in pair], vocab_size=60)
    examples = encode_pairs(PAIRS, tokenizer, tokenizer, 20, 20)
    batch = make_batch(examples[:2])
    teacher = tiny("additive", tokenizer.vocab_size, seed=1)
    config = TrainConfig(batch_size=8, epochs=20, warmup_steps=1, decay_from=100, validate_every=99)
    distances = []
    for guide_steps in (0, 10_000):
        student = tiny(score, tokenizer.vocab_size, seed=2)
        fit(student, examples, config, guide=alignment_guide(teacher, 5.0), guide_steps=guide_steps)
        distances.append(cross_entropy_to(teacher, student, batch))
    assert distances[1] < distances[0] - 0.1


def test_a_warm_started_luong_model_is_guided_by_its_teacher(tmp_path: Path) -> None:
    corpus, weights, _ = write_corpus(tmp_path)
    # bahdanau-en-es from scratch gives the warm start its tokenizers and weights
    train_mt.train_mt("bahdanau-en-es", print, minutes=0.01, corpus_dir=corpus, weights_dir=weights)
    messages: list[str] = []
    progress = train_mt.train_mt(
        "luong-dot-en-es", messages.append, minutes=0.01, corpus_dir=corpus, weights_dir=weights
    )
    assert any("attention guided by bahdanau-en-es" in m for m in messages)
    assert progress["shipped"] and (weights / "luong-dot-en-es" / "model.safetensors").exists()


def test_a_resumed_luong_model_keeps_its_own_alignment_and_steps_gently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, weights, _ = write_corpus(tmp_path)
    train_mt.train_mt("bahdanau-en-es", print, minutes=0.01, corpus_dir=corpus, weights_dir=weights)
    train_mt.train_mt(
        "luong-dot-en-es", print, minutes=0.01, corpus_dir=corpus, weights_dir=weights
    )
    configs = []
    real_fit = train_mt.fit

    def recording_fit(network, examples, config, *args, **kwargs):
        configs.append((config, kwargs["guide"]))
        return real_fit(network, examples, config, *args, **kwargs)

    monkeypatch.setattr(train_mt, "fit", recording_fit)
    messages: list[str] = []
    train_mt.train_mt(
        "luong-dot-en-es",
        messages.append,
        minutes=0.01,
        corpus_dir=corpus,
        weights_dir=weights,
        resume=True,
    )
    ((config, guide),) = configs
    assert guide is None and not any("attention guided" in m for m in messages)
    assert config.learning_rate < train_mt.RECIPES["luong-dot-en-es"].training.learning_rate
    train_mt.train_mt(
        "luong-dot-en-es",
        print,
        minutes=0.01,
        corpus_dir=corpus,
        weights_dir=weights,
        resume=True,
        learning_rate=2e-3,
    )
    assert configs[-1][0].learning_rate == 2e-3  # `train --learning-rate` overrides the rule


def test_weights_that_do_not_beat_the_shipped_ones_are_not_shipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, weights, _ = write_corpus(tmp_path)
    train_mt.train_mt("bahdanau-en-es", print, minutes=0.01, corpus_dir=corpus, weights_dir=weights)
    shipped = (weights / "bahdanau-en-es" / "model.safetensors").read_bytes()
    messages: list[str] = []
    scores: list[float] = []

    def perfect(*args) -> float:  # the real score of the shipped weights, then a perfect one
        scores.append(real_shipped_score(*args))
        return 100.0

    real_shipped_score = train_mt.shipped_score
    monkeypatch.setattr(train_mt, "shipped_score", perfect)
    progress = train_mt.train_mt(
        "bahdanau-en-es",
        messages.append,
        minutes=0.01,
        corpus_dir=corpus,
        weights_dir=weights,
        resume=True,
    )
    assert not progress["shipped"] and progress["best_valid_score"] == 100.0
    assert any("they stay" in m for m in messages)
    assert (weights / "bahdanau-en-es" / "model.safetensors").read_bytes() == shipped
    assert 0 <= scores[0] <= 100
    assert real_shipped_score("luong-dot-en-es", weights, lambda *a: 0.0, print) == -1.0

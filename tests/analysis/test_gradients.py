"""Gradients of an output token's loss at the source embeddings, in small RNN translators."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from attnviz.analysis.gradients import middle_to_ends, share_by_position, source_gradients
from attnviz.models import rnn
from attnviz.models.seq2seq import forced_inputs
from attnviz.models.tokens import SubwordTokenizer
from tests.models.tiny_rnn import tiny_rnn

torch.set_num_threads(1)
WORDS = "the red car and the white dog sat near a small green house by the river"


@pytest.fixture(scope="module")
def tokenizer() -> SubwordTokenizer:
    return SubwordTokenizer.train([WORDS, "el coche rojo y el perro blanco"] * 3, vocab_size=80)


def small_model(score: str, tokenizer: SubwordTokenizer) -> rnn.RNNModel:
    vocab = tokenizer.vocab_size
    network = tiny_rnn(score, vocab, vocab, max_target_tokens=8)
    return rnn.RNNModel(score, "test", network, tokenizer, tokenizer)


def reference_norms(model: rnn.RNNModel, text: str, step: int) -> np.ndarray:
    """The same gradient through the teacher-forced forward pass and a retained embedding."""
    source_ids = [*model.source_tokenizer.encode(text)[0], 3]
    target_ids = model.translate_ids(source_ids)
    captured = {}

    def keep(module, inputs, output):
        output.retain_grad()
        captured["embedded"] = output

    network = rnn.RNNTranslator(model.config).eval()
    network.load_state_dict(model.network.state_dict())
    handle = network.encoder.embed.register_forward_hook(keep)
    out = network(
        torch.tensor([source_ids]), torch.tensor([len(source_ids)]), forced_inputs(target_ids)
    )
    handle.remove()
    loss = -torch.log_softmax(out["logits"][0, step], dim=-1)[target_ids[step]]
    loss.backward()
    return captured["embedded"].grad[0].norm(dim=-1).numpy()


@pytest.mark.parametrize("score", ["none", "additive"])
@pytest.mark.parametrize("step", [0, 2])
def test_the_gradients_equal_those_of_the_teacher_forced_pass(score, step, tokenizer) -> None:
    model = small_model(score, tokenizer)
    result = source_gradients(model, WORDS, step)
    assert len(result.norms) == len(result.source_tokens) and result.source_tokens[-1] == "[EOS]"
    np.testing.assert_allclose(result.norms, reference_norms(model, WORDS, step), rtol=1e-4)
    assert (result.norms > 0).all() and result.step == step


def test_the_shared_model_is_not_changed(tokenizer) -> None:
    model = small_model("additive", tokenizer)
    before = {k: v.clone() for k, v in model.network.state_dict().items()}
    source_gradients(model, WORDS, 1)
    assert not model.network.training
    assert all(p.grad is None for p in model.network.parameters())
    for name, value in model.network.state_dict().items():
        torch.testing.assert_close(value, before[name])


def test_a_step_past_the_translation_is_refused(tokenizer) -> None:
    model = small_model("none", tokenizer)
    with pytest.raises(ValueError, match="no output token 51"):
        source_gradients(model, WORDS, 50)
    with pytest.raises(ValueError, match="whole number"):
        source_gradients(model, WORDS, -1)


def test_without_attention_the_middle_of_a_long_sentence_gets_least(tokenizer) -> None:
    """An untrained GRU's gradient shrinks with the distance to both final states."""
    model = small_model("none", tokenizer)
    norms = source_gradients(model, " ".join([WORDS] * 3), 0).norms
    assert middle_to_ends(norms) < 0.5


def test_shares_sum_to_one() -> None:
    shares = share_by_position(np.array([1.0, 3.0, 4.0]))
    np.testing.assert_allclose(shares, [0.125, 0.375, 0.5])
    assert share_by_position(np.zeros(3)).sum() == 0
    with pytest.raises(ValueError, match="at least 3"):
        middle_to_ends(np.ones(2))

"""rnnenc-en-es's network: the Bahdanau encoder and decoder with a fixed context, no attention."""

from __future__ import annotations

import pytest
import torch

from attnviz.models import rnn
from attnviz.models.seq2seq import WEIGHTS_DIR
from attnviz.models.tokens import PAD_ID, SubwordTokenizer
from tests.models.tiny_rnn import tiny_rnn

torch.set_num_threads(1)


def small_network() -> rnn.RNNTranslator:
    return tiny_rnn("none")


def test_the_context_is_the_two_final_encoder_states_at_every_step() -> None:
    network = small_network()
    source = torch.tensor([[5, 6, 7, 8, 3], [9, 10, 3, PAD_ID, PAD_ID]])
    lengths = torch.tensor([5, 3])
    with torch.inference_mode():
        out = network(source, lengths, torch.tensor([[2, 4, 5], [2, 6, 7]]))
        embedded = network.encoder.embed(source)
        packed = torch.nn.utils.rnn.pack_padded_sequence(
            embedded, lengths, batch_first=True, enforce_sorted=False
        )
        _, last = network.encoder.gru(packed)  # [direction, batch, encoder_hidden]
    final = torch.cat([last[0], last[1]], dim=-1)  # [->h_T; <-h_1]
    for step in range(3):
        torch.testing.assert_close(out["contexts"][:, step], final)
    assert (out["weights"] == 0).all()


def test_the_context_does_not_depend_on_the_decoder_state() -> None:
    attention = small_network().decoder.attention
    annotations = torch.randn(1, 4, 12)
    visible = torch.ones(1, 4, dtype=torch.bool)
    first, _, _ = attention(torch.randn(1, 12), annotations, annotations, visible)
    second, _, _ = attention(torch.randn(1, 12), annotations, annotations, visible)
    torch.testing.assert_close(first, second)


def test_padding_does_not_change_a_sentence() -> None:
    network = small_network()
    inputs = torch.tensor([[2, 4, 5]])
    with torch.inference_mode():
        alone = network(torch.tensor([[9, 10, 3]]), torch.tensor([3]), inputs)
        padded = network(torch.tensor([[9, 10, 3, PAD_ID]]), torch.tensor([3]), inputs)
    torch.testing.assert_close(alone["logits"], padded["logits"])


def test_a_run_translates_and_has_no_attention_maps() -> None:
    tokenizer = SubwordTokenizer.train(["the red car", "el coche rojo"] * 3, vocab_size=60)
    network = tiny_rnn("none", tokenizer.vocab_size, tokenizer.vocab_size, max_target_tokens=6)
    model = rnn.RNNModel("rnnenc-en-es", "test", network, tokenizer, tokenizer)
    run = model.run("the red car")
    assert run.maps == {} and model.info.kinds == ()
    assert run.target_tokens and run.output_text is not None
    beamed = model.run("the red car", beam=3)
    assert beamed.maps == {} and beamed.extras["hypotheses"]


@pytest.mark.skipif(
    not (WEIGHTS_DIR / "rnnenc-en-es" / "model.safetensors").exists(), reason="not trained yet"
)
def test_shipped_rnnenc_translates_a_short_sentence() -> None:
    model = rnn.load_rnnenc_en_es()
    run = model.run("The children eat.")
    assert run.maps == {}
    assert "niños" in run.output_text

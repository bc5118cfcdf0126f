"""The Transformer translator: masks, one head by hand, shipped weights, decoding."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import attnviz
from attnviz.models import transformer
from attnviz.models.seq2seq import WEIGHTS_DIR, beam_decode, greedy_decode
from attnviz.models.tokens import PAD_ID
from tests.models.teacher_forced import check_beam_run

torch.set_num_threads(1)
NAME = "transformer-en-es"
SHIPPED = (WEIGHTS_DIR / NAME / "model.safetensors").exists()
KNOWN = {
    "The red car is big.": "El coche rojo es grande.",
    "My friend has a fast car.": "Mi amigo tiene un coche rápido.",
    "The children eat.": "Los niños comen.",
    "I have a white dog.": "Tengo un perro blanco.",
    "We live in a small house.": "Vivimos en una casa pequeña.",
}
KNOWN_CHRF = 75.0  # mean sentence chrF on KNOWN; the test-split figure is in MODEL_CARD.md


def small_network() -> transformer.TransformerTranslator:
    torch.manual_seed(0)
    config = transformer.TransformerConfig(
        source_vocab=30,
        target_vocab=20,
        d_model=16,
        n_heads=4,
        encoder_layers=2,
        decoder_layers=2,
        d_ff=32,
    )
    return transformer.TransformerTranslator(config).eval()


@pytest.fixture(scope="module")
def shipped() -> transformer.TransformerModel:
    if not SHIPPED:
        pytest.skip(f"{NAME} weights not shipped")
    return transformer.load_transformer_en_es()


def test_masks_are_exactly_zero_and_rows_sum_to_one() -> None:
    network = small_network()
    source = torch.tensor([[5, 6, 7, 3], [9, 3, PAD_ID, PAD_ID]])
    with torch.inference_mode():
        out = network(source, torch.tensor([4, 2]), torch.tensor([[2, 4, 5], [2, 6, 7]]))
    assert out["logits"].shape == (2, 3, 20)
    for layer in range(2):
        encoder_self = out["encoder_self"][layer]  # [batch, head, query, key]
        decoder_self = out["decoder_self"][layer]
        cross = out["cross"][layer]
        assert encoder_self.shape == (2, 4, 4, 4) and decoder_self.shape == (2, 4, 3, 3)
        assert cross.shape == (2, 4, 3, 4)
        assert (encoder_self[1, :, :, 2:] == 0).all() and (cross[1, :, :, 2:] == 0).all()
        future = torch.ones(3, 3, dtype=torch.bool).triu(1)
        assert (decoder_self[:, :, future] == 0).all()
        for weights in (encoder_self, decoder_self, cross):
            torch.testing.assert_close(weights.sum(-1), torch.ones(weights.shape[:-1]))


def test_one_head_by_hand() -> None:
    network = small_network()
    attention = network.encoder[0].attention
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 16)).astype(np.float32)
    p = {k: v.detach().numpy() for k, v in attention.named_parameters()}
    head = slice(4, 8)  # head 1 of 4, d_head 4
    q = (x @ p["q.weight"].T + p["q.bias"])[:, head]
    k = (x @ p["k.weight"].T + p["k.bias"])[:, head]
    scores = q @ k.T / math.sqrt(4)
    weights = np.exp(scores - scores.max(-1, keepdims=True))
    weights /= weights.sum(-1, keepdims=True)
    with torch.inference_mode():
        tensor = torch.tensor(x[None])
        _, got_weights, got_scores = attention(
            tensor, tensor, torch.ones(1, 1, 1, 5, dtype=torch.bool)
        )
    np.testing.assert_allclose(got_scores[0, 1].numpy(), scores, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_weights[0, 1].numpy(), weights, rtol=1e-4, atol=1e-6)


def test_padding_does_not_change_a_sentence() -> None:
    network = small_network()
    inputs = torch.tensor([[2, 4, 5]])
    with torch.inference_mode():
        alone = network(torch.tensor([[9, 10, 3]]), torch.tensor([3]), inputs)
        padded = network(torch.tensor([[9, 10, 3, PAD_ID]]), torch.tensor([3]), inputs)
    torch.testing.assert_close(alone["logits"], padded["logits"])


def test_shipped_run_has_all_three_kinds(shipped: transformer.TransformerModel) -> None:
    run = shipped.run("The red car is big.")
    config = shipped.config
    source, target = len(run.source_tokens), len(run.target_tokens)
    assert run.kinds == ("encoder_self", "decoder_self", "cross")
    assert run.maps["encoder_self"].weights.shape == (
        config.encoder_layers,
        config.n_heads,
        source,
        source,
    )
    assert run.maps["decoder_self"].weights.shape == (
        config.decoder_layers,
        config.n_heads,
        target,
        target,
    )
    assert run.maps["cross"].weights.shape == (
        config.decoder_layers,
        config.n_heads,
        target,
        source,
    )
    future = np.triu(np.ones((target, target), dtype=bool), 1)
    assert (run.maps["decoder_self"].weights[..., future] == 0).all()
    assert run.extras["decoder_inputs"][0] == "[BOS]"
    assert [options[0][0] for options in run.extras["top_next"]] == list(run.target_tokens)
    assert shipped.info.layers == {"encoder_self": 3, "decoder_self": 3, "cross": 3}


def test_shipped_translates_known_sentences(shipped: transformer.TransformerModel) -> None:
    import sacrebleu

    outputs = {english: shipped.run(english).output_text for english in KNOWN}
    assert outputs["The red car is big."] == KNOWN["The red car is big."]
    scores = [sacrebleu.sentence_chrf(outputs[e], [KNOWN[e]]).score for e in KNOWN]
    assert sum(scores) / len(scores) >= KNOWN_CHRF, outputs


@pytest.mark.parametrize("english", ["The red car is big.", "Where did the children go yesterday?"])
def test_beam_one_equals_greedy(shipped: transformer.TransformerModel, english: str) -> None:
    ids = shipped.source_tokenizer.encode(english)[0] + [3]
    with torch.inference_mode():
        encoded = shipped.network.encode(torch.tensor([ids]))
        stepper = transformer._TransformerStepper(shipped.network, encoded)
        assert greedy_decode(stepper, 40) == beam_decode(stepper, 1, 40)


def test_beam_five_gives_its_own_alignment(shipped: transformer.TransformerModel) -> None:
    """Every layer and head of the cross map is the forced pass's over beam's output, and the
    cached-keys decoding scored each hypothesis as a whole forced pass does."""
    check_beam_run(shipped, "My friend has a fast car.", beam=5, hypothesis=0)


def test_bad_input_is_refused(shipped: transformer.TransformerModel) -> None:
    with pytest.raises(ValueError, match="empty"):
        shipped.run("  ")
    with pytest.raises(ValueError, match="Beam width"):
        shipped.run("The car.", beam=0)


def test_decoder_self_keys_are_what_the_decoder_read():
    """Query i produced target token i after reading [BOS] and the tokens before it."""
    run = attnviz.run("transformer-en-es", "The red car is fast.")
    maps = run.maps["decoder_self"]
    assert maps.query_tokens == run.target_tokens
    assert maps.key_tokens == ("[BOS]", *run.target_tokens[:-1])
    assert (maps.weights[..., ~maps.visible] == 0).all()

"""gpt-austen's network: maps equal a hand computation, predictions, generation, checkpoints."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from attnviz.models import sampling
from attnviz.models.gpt import GPT, GPTConfig, GPTModel, load_folder
from attnviz.models.tokens import SubwordTokenizer
from attnviz.training.gpt_train import ship

SENTENCES = [
    "It is a truth universally acknowledged that a single man must be in want of a wife.",
    "The family of Dashwood had long been settled in Sussex.",
    "Emma Woodhouse, handsome, clever, and rich, seemed to unite some of the best blessings.",
    "She was the youngest of the two daughters of a most affectionate, indulgent father.",
] * 5
TINY = GPTConfig(vocab=300, d_model=16, n_heads=2, n_layers=2, d_ff=32, context=24)
TEXT = "It is a truth that a single man must be in want of a wife."


@pytest.fixture(scope="module")
def tiny() -> GPTModel:
    torch.manual_seed(0)
    tokenizer = SubwordTokenizer.train_bpe(SENTENCES, 300)
    network = GPT(dataclasses.replace(TINY, vocab=tokenizer.vocab_size))
    with torch.no_grad():  # larger weights than the init, so heads attend unevenly
        for parameter in network.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.3)
    return GPTModel("tiny-gpt", network.eval(), tokenizer)


def reference_forward(network: GPT, ids: list[int]) -> tuple[list[np.ndarray], np.ndarray]:
    """Every layer's attention `[head, query, key]` and the logits, in numpy, with rotary
    positions as complex rotations and smeared keys as an explicit sum over positions (not the
    model's own code path)."""
    state = {k: v.detach().double().numpy() for k, v in network.state_dict().items()}
    config = network.config
    d_head = config.d_model // config.n_heads
    half = d_head // 2
    n = len(ids)

    def layer_norm(x, prefix):
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-5) * state[prefix + ".weight"] + state[
            prefix + ".bias"
        ]

    def rotary(x):  # x [head, position, d_head]; pairs (i, i + half) as complex numbers
        angle = np.arange(n)[:, None] * config.rope_base ** (-np.arange(half) * 2 / d_head)
        z = (x[..., :half] + 1j * x[..., half:]) * np.exp(1j * angle)
        return np.concatenate([z.real, z.imag], axis=-1)

    x = state["embed.weight"][ids]
    maps = []
    for layer in range(config.n_layers):
        p = f"blocks.{layer}."
        h = layer_norm(x, p + "norm_attention")
        qkv = h @ state[p + "attention.qkv.weight"].T + state[p + "attention.qkv.bias"]
        q, k, v = (
            qkv[:, i * config.d_model : (i + 1) * config.d_model]
            .reshape(n, config.n_heads, d_head)
            .transpose(1, 0, 2)
            for i in range(3)
        )
        keys = rotary(k)  # [head, position, d_head]
        if p + "attention.smear" in state:  # own share s: s k_j + (1 - s) k_{j-1}; k_{-1} = k_0
            own = 1 / (1 + np.exp(-state[p + "attention.smear"]))
            keys = np.stack(
                [
                    [own[h] * keys[h, j] + (1 - own[h]) * keys[h, max(j - 1, 0)] for j in range(n)]
                    for h in range(config.n_heads)
                ]
            )
        scores = rotary(q) @ keys.transpose(0, 2, 1) / np.sqrt(d_head)
        scores = np.where(np.tril(np.ones((n, n), bool)), scores, -np.inf)
        weights = np.exp(scores - scores.max(-1, keepdims=True))
        weights /= weights.sum(-1, keepdims=True)
        maps.append(weights)
        mixed = (weights @ v).transpose(1, 0, 2).reshape(n, config.d_model)
        x = x + mixed @ state[p + "attention.out.weight"].T + state[p + "attention.out.bias"]
        f = layer_norm(x, p + "norm_ff") @ state[p + "ff.0.weight"].T + state[p + "ff.0.bias"]
        f = 0.5 * f * (1 + np.vectorize(__import__("math").erf)(f / np.sqrt(2)))
        x = x + f @ state[p + "ff.2.weight"].T + state[p + "ff.2.bias"]
    logits = layer_norm(x, "norm") @ state["embed.weight"].T
    return maps, logits


def test_maps_and_logits_equal_a_hand_computation(tiny):
    run = tiny.run(TEXT)
    ids = run.extras["input_ids"]
    expected_maps, expected_logits = reference_forward(tiny.network, ids)
    maps = run.maps["decoder_self"]
    assert maps.weights.shape == (2, 2, len(ids), len(ids))
    for layer, expected in enumerate(expected_maps):
        np.testing.assert_allclose(maps.weights[layer], expected, atol=2e-5)
    assert (maps.weights[..., ~np.tril(np.ones((len(ids),) * 2, bool))] == 0).all()
    np.testing.assert_allclose(maps.weights.sum(-1), 1.0, atol=1e-5)
    assert maps.weights.std() > 0.05  # the heads do not attend uniformly: the test can fail
    logits = tiny.network(torch.tensor([ids]))["logits"][0].detach().numpy()
    np.testing.assert_allclose(logits, expected_logits, atol=1e-4)


def test_smeared_keys_mix_in_the_previous_key_as_a_hand_computation_does(tiny):
    config = dataclasses.replace(tiny.config, smeared_keys=True)
    network = GPT(config)
    missing, _ = network.load_state_dict(tiny.network.state_dict(), strict=False)
    assert sorted(missing) == ["blocks.0.attention.smear", "blocks.1.attention.smear"]
    with torch.no_grad():  # own shares 0.12 and 0.73: far from plain keys
        for block in network.blocks:
            block.attention.smear.copy_(torch.tensor([-2.0, 1.0]))
    smeared = GPTModel("smeared", network.eval(), tiny.tokenizer)
    run = smeared.run(TEXT)
    expected_maps, expected_logits = reference_forward(network, run.extras["input_ids"])
    for layer, expected in enumerate(expected_maps):
        np.testing.assert_allclose(run.maps["decoder_self"].weights[layer], expected, atol=2e-5)
    logits = network(torch.tensor([run.extras["input_ids"]]))["logits"][0].detach().numpy()
    np.testing.assert_allclose(logits, expected_logits, atol=1e-4)
    plain = tiny.run(TEXT).maps["decoder_self"].weights
    assert np.abs(run.maps["decoder_self"].weights - plain).max() > 0.05


def test_next_tokens_are_the_top_ten_of_the_softmax_most_probable_first(tiny):
    run = tiny.run(TEXT)
    assert len(run.next_tokens) == len(run.source_tokens)
    logits = tiny.network(torch.tensor([run.extras["input_ids"]]))["logits"][0].detach()
    probs = torch.softmax(logits.double(), -1).numpy()
    for position, row in enumerate(run.next_tokens):
        assert len(row) == 10
        chances = [p for _, p in row]
        assert chances == sorted(chances, reverse=True) and sum(chances) <= 1 + 1e-9
        np.testing.assert_allclose(chances, np.sort(probs[position])[::-1][:10], rtol=1e-6)
        assert row[0][0] == tiny.tokenizer.id_to_token(int(probs[position].argmax()))
    assert run.to_json()["next_tokens"][0][0] == {"token": run.next_tokens[0][0][0],
                                                   "p": run.next_tokens[0][0][1]}  # fmt: skip


def test_the_same_seed_gives_the_same_text_and_another_seed_another(tiny):
    first = tiny.generate_text("The family", 15, 1.0, 0, 7)
    again = tiny.generate_text("The family", 15, 1.0, 0, 7)
    other = [tiny.generate_text("The family", 15, 1.0, 0, seed).text for seed in range(4)]
    assert first.text == again.text and first.output_text
    assert len(set(other)) > 1
    assert first.text.startswith("The family") and first.text.endswith(first.output_text)
    assert first.extras["prompt_tokens"] == len(tiny.encode("The family")[1])


def test_temperature_zero_and_top_k_one_are_greedy(tiny):
    ids = tiny.encode("Emma Woodhouse")[1]
    greedy = list(ids)
    for _ in range(12):
        greedy.append(int(tiny.logits(greedy).argmax()))
    expected = tiny.tokenizer.decode(greedy)
    for seed in (0, 1):
        assert tiny.generate_text("Emma Woodhouse", 12, 0.0, 0, seed).text == expected
        assert tiny.generate_text("Emma Woodhouse", 12, 1.5, 1, seed).text == expected


def test_generated_runs_cover_prompt_and_continuation(tiny):
    run = tiny.generate_text("She was", 30, 1.0, 0, 3)
    n = len(run.source_tokens)
    assert n <= TINY.context and run.maps["decoder_self"].weights.shape[2] == n
    assert len(run.next_tokens) == n


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ((0, 1.0, 0, 0), "new tokens"),
        ((5, -1.0, 0, 0), "temperature"),
        ((5, 9.0, 0, 0), "temperature"),
        ((5, 1.0, -2, 0), "Top-k"),
        ((5, 1.0, 0, -1), "seed"),
        ((5, "hot", 0, 0), "temperature"),
    ],
)
def test_bad_sampling_settings_are_refused_with_a_sentence(tiny, settings, message):
    with pytest.raises(ValueError, match=message):
        tiny.generate_text("She was", *settings)


def test_text_beyond_the_context_is_cut_with_a_note(tiny):
    run = tiny.run(" ".join(["wife"] * 60))
    assert len(run.source_tokens) == TINY.context
    assert any("context" in note for note in run.notes)


def test_ablating_a_head_changes_later_layers_only_for_that_run(tiny):
    plain = tiny.run(TEXT)
    ablated = tiny.run(TEXT, ablate=[("decoder_self", 0, 1)])
    np.testing.assert_array_equal(
        plain.maps["decoder_self"].weights[0], ablated.maps["decoder_self"].weights[0]
    )
    assert not np.allclose(
        plain.maps["decoder_self"].weights[1], ablated.maps["decoder_self"].weights[1]
    )
    np.testing.assert_array_equal(
        tiny.run(TEXT).maps["decoder_self"].weights, plain.maps["decoder_self"].weights
    )
    with pytest.raises(ValueError, match="beam"):
        tiny.run(TEXT, beam=3)


def test_shipped_folder_loads_back_with_the_same_maps(tiny, tmp_path):
    ship(tiny.network, tiny.tokenizer, tmp_path)
    loaded = load_folder(tmp_path, "tiny-gpt")
    before, after = tiny.run(TEXT), loaded.run(TEXT)
    assert after.source_tokens == before.source_tokens
    # Shipped as float16: the maps agree to float16 precision.
    np.testing.assert_allclose(
        after.maps["decoder_self"].weights, before.maps["decoder_self"].weights, atol=2e-2
    )


def test_append_adds_exactly_one_token(tiny):
    ids = tiny.encode("The family of")[1]
    token = int(tiny.logits(ids).argmax())
    appended = tiny.append("The family of", token)
    assert tiny.encode(appended)[1][: len(ids)] == ids
    assert sampling.TOP_NEXT == 10

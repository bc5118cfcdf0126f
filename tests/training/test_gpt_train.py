"""gpt-austen's trainer on a few paragraphs: it learns, ships, resumes, mixes repeated words."""

from __future__ import annotations

import dataclasses
import random

import pytest
import torch

from attnviz.models.gpt import GPT, GPTConfig, load_folder
from attnviz.models.tokens import EOS_ID
from attnviz.training.gpt_train import (
    GPTTrainConfig,
    Kept,
    batch,
    repeated_words,
    token_stream,
    train_gpt,
    warm_start,
    word_pool,
)

PARAGRAPHS = [
    "It is a truth universally acknowledged, that a single man in possession of a good "
    "fortune, must be in want of a wife.",
    "The family of Dashwood had long been settled in Sussex. Their estate was large.",
    "Emma Woodhouse, handsome, clever, and rich, with a comfortable home and happy disposition.",
    "Sir Walter Elliot, of Kellynch Hall, in Somersetshire, was a man who never took up any book.",
] * 30
SMALL = GPTConfig(vocab=400, d_model=16, n_heads=2, n_layers=2, d_ff=32, context=16)


def write_data(folder):
    folder.mkdir()
    (folder / "train.txt").write_text("\n".join(PARAGRAPHS) + "\n", encoding="utf-8")
    (folder / "heldout.txt").write_text("\n".join(PARAGRAPHS[:4]) + "\n", encoding="utf-8")
    return folder


def test_training_lowers_the_loss_ships_a_model_and_resumes(tmp_path):
    torch.manual_seed(0)
    data, checkpoints, weights = write_data(tmp_path / "data"), tmp_path / "ck", tmp_path / "w"
    config = GPTTrainConfig(minutes=0.08, batch_size=4, warmup_steps=5, validate_every=10**6)
    logged = []
    first = train_gpt(data, checkpoints, weights, logged.append, config, SMALL,
                      show_progress=False)  # fmt: skip
    assert first["steps"] > 5 and first["held_out_perplexity"] < 400
    model = load_folder(weights, "tiny")
    assert model.run("The family of Dashwood").next_tokens is not None
    again = train_gpt(data, checkpoints, weights, logged.append,
                      GPTTrainConfig(minutes=0.02, batch_size=4), SMALL, resume=True,
                      show_progress=False)  # fmt: skip
    assert again["steps"] > first["steps"] and again["runs"] == 2
    assert any("start run 2" in line for line in logged)


def test_batches_mix_novel_windows_and_repeated_random_words(tmp_path):
    from attnviz.models.tokens import SubwordTokenizer

    tokenizer = SubwordTokenizer.train_bpe(PARAGRAPHS, 400)
    stream = token_stream(PARAGRAPHS, tokenizer)
    assert (stream == EOS_ID).sum() == len(PARAGRAPHS)
    pool = word_pool(tokenizer)
    assert pool and all(tokenizer.id_to_token(i).isalpha() for i in pool)
    words = repeated_words(pool, 30, random.Random(0), 5, 8)
    half = words.index(words[0], 1)
    assert words[half : 2 * half] == words[:half] and len(words) == 30
    config = GPTTrainConfig(batch_size=64, synthetic_share=0.25)
    inputs, targets = batch(stream, pool, config, 16, random.Random(1))
    assert inputs.shape == targets.shape == (64, 16)
    assert torch.equal(inputs[:, 1:], targets[:, :-1])
    synthetic = sum(set(row.tolist()) <= set(pool) for row in inputs)
    assert 5 <= synthetic <= 30


def test_resume_without_a_checkpoint_starts_from_the_shipped_weights(tmp_path):
    """On a new machine data/checkpoints is gone: --resume continues from what is shipped."""
    import shutil

    torch.manual_seed(0)
    data, checkpoints, weights = write_data(tmp_path / "data"), tmp_path / "ck", tmp_path / "w"
    config = GPTTrainConfig(minutes=0.08, batch_size=4, warmup_steps=5, validate_every=10**6)
    first = train_gpt(data, checkpoints, weights, [].append, config, SMALL, show_progress=False)
    shutil.rmtree(checkpoints)
    logged = []
    again = train_gpt(data, checkpoints, weights, logged.append,
                      GPTTrainConfig(minutes=0.0, batch_size=4), SMALL, resume=True,
                      show_progress=False)  # fmt: skip
    assert any("resuming from the shipped weights" in line for line in logged)
    # no step taken: the held-out perplexity is the shipped model's (float16 on disk)
    assert (
        abs(again["held_out_perplexity"] - first["held_out_perplexity"])
        < 0.01 * first["held_out_perplexity"]
    )
    idle = GPTTrainConfig(minutes=0.0, batch_size=4)
    fresh = train_gpt(data, tmp_path / "ck2", tmp_path / "w2", [].append, idle, SMALL,
                      show_progress=False)  # fmt: skip
    assert fresh["held_out_perplexity"] > 1.5 * first["held_out_perplexity"]
    shutil.rmtree(checkpoints)  # and it trains from them: loading for inference froze them once
    more = train_gpt(data, checkpoints, weights, [].append,
                     dataclasses.replace(config, minutes=0.02), SMALL, resume=True,
                     show_progress=False)  # fmt: skip
    assert more["steps"] > 0


def test_a_shipped_model_without_smeared_keys_warm_starts_one_with_them(tmp_path):
    torch.manual_seed(0)
    data, weights = write_data(tmp_path / "data"), tmp_path / "w"
    idle = GPTTrainConfig(minutes=0.0, batch_size=4)
    train_gpt(data, tmp_path / "ck", weights, [].append, idle, SMALL, show_progress=False)
    plain = load_folder(weights, "plain").network
    smeared = GPT(dataclasses.replace(plain.config, smeared_keys=True))
    logged = []
    warm_start(smeared, weights, logged.append)
    for key, value in plain.state_dict().items():
        assert torch.equal(smeared.state_dict()[key], value), key
    for block in smeared.blocks:  # each head starts with 0.95 of its own key
        assert torch.allclose(torch.sigmoid(block.attention.smear), torch.tensor(0.9526), atol=1e-4)
    assert logged == ["adding smeared keys to the shipped model's 2 layers"]
    wider = GPT(dataclasses.replace(plain.config, d_model=32, smeared_keys=True))
    with pytest.raises(ValueError, match="other sizes"):
        warm_start(wider, weights, [].append)


def test_the_smeared_keys_step_faster_and_can_start_a_run_at_half_their_own_key(tmp_path):
    from attnviz.training.gpt_train import make_optimizer, reset_smear

    smeared = dataclasses.replace(SMALL, smeared_keys=True)
    network = GPT(smeared)
    groups = make_optimizer(network, GPTTrainConfig(smear_rate_scale=20.0)).param_groups
    scaled = [group for group in groups if group["scale"] == 20.0]
    assert len(scaled) == 1 and scaled[0]["weight_decay"] == 0.0
    assert len(scaled[0]["params"]) == smeared.n_layers
    assert reset_smear(network, 0.0, 1) == 1
    assert network.blocks[0].attention.smear.tolist() == [0.0, 0.0]
    assert network.blocks[1].attention.smear.tolist() == [3.0, 3.0]  # its own start, untouched

    # A checkpoint whose optimiser had two groups (before the smear's own) still resumes.
    data, checkpoints, weights = write_data(tmp_path / "data"), tmp_path / "ck", tmp_path / "w"
    config = GPTTrainConfig(minutes=0.02, batch_size=4, validate_every=10**6)
    train_gpt(data, checkpoints, weights, print, config, smeared, show_progress=False)
    saved = torch.load(checkpoints / "state.pt", weights_only=True)
    saved["optimizer"]["param_groups"] = saved["optimizer"]["param_groups"][:2]
    torch.save(saved, checkpoints / "state.pt")
    logged: list[str] = []
    again = dataclasses.replace(config, smear_reset=0.0)
    train_gpt(data, checkpoints, weights, logged.append, again, smeared, resume=True,
              show_progress=False)  # fmt: skip
    assert any("a new one" in line for line in logged)
    assert any("smeared keys of 2 layers start at 0.50" in line for line in logged)


def test_the_shipped_state_is_the_best_induction_within_the_perplexity_slack():
    network = GPT(SMALL)
    kept = Kept(slack=1.03)
    for step, perplexity, score in [
        (0, 50.0, 0.10),
        (1, 49.0, 0.30),
        (2, 46.0, 0.12),
        (3, 47.0, 0.20),
        (4, 60.0, 0.50),
        (5, 48.0, 0.05),
    ]:
        with torch.no_grad():
            network.embed.weight.fill_(step)
        kept.consider(network, step, perplexity, score)
    # Step 5 is beaten by step 3 on both; step 0 by step 1. 47.0 <= 46.0 * 1.03 < 49.0.
    assert sorted(c[2] for c in kept.front) == [1, 2, 3, 4]
    perplexity, score, step, state = kept.best()
    assert (perplexity, score, step) == (47.0, 0.20, 3)
    assert float(state["embed.weight"][0, 0]) == 3.0  # a copy, not the network's live weights

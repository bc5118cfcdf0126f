"""qa-memnet: position encoding, one hop by hand, masked memory slots, story parsing."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from attnviz.models import memnet
from attnviz.models.memnet import MemN2N, MemNetConfig, MemNetModel
from attnviz.models.sentiment import WordVocabulary

WORDS = ["[PAD]", "[UNK]", "mary", "john", "went", "to", "the", "kitchen", "garden", "where", "is"]


@pytest.fixture
def tiny() -> MemNetModel:
    torch.manual_seed(0)
    config = MemNetConfig(
        vocab=len(WORDS), answers=("kitchen", "garden"), dim=8, hops=3, memory=4, sentence_words=6
    )
    return MemNetModel(MemN2N(config).eval(), WordVocabulary(WORDS))


def test_position_encoding_matches_the_papers_formula():
    encoding = memnet.position_encoding(4, 3)
    j, k, J, d = 2, 3, 4, 3  # word 2 of 4, dimension 3 of 3 (both from 1)
    assert encoding[j - 1, k - 1] == pytest.approx((1 - j / J) - (k / d) * (1 - 2 * j / J))


def test_a_story_splits_into_sentences_and_a_last_question():
    sentences, question = memnet.split_story("Mary went to the kitchen. John went. Where is Mary?")
    assert sentences == ["Mary went to the kitchen.", "John went."]
    assert question == "Where is Mary?"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mary went to the kitchen.", "End the text with a question"),
        ("Where is Mary? Mary went to the kitchen.", "End the text with a question"),
        ("Where is Mary?", "at least one sentence"),
    ],
)
def test_a_story_without_a_question_last_gets_a_clear_message(tiny, text, message):
    with pytest.raises(ValueError, match=message):
        tiny.run(text)


def test_the_first_hop_is_the_softmax_of_memories_against_the_question(tiny):
    network = tiny.network
    story, query, n = memnet.encode_story(
        ["Mary went to the kitchen.", "John went to the garden."],
        "Where is Mary?",
        tiny.vocabulary,
        tiny.config,
    )
    with torch.no_grad():
        _, weights, scores = network(story[None], query[None], torch.tensor([n]))
        u = network.embed(0, query)  # [dim]
        newest_first = torch.arange(3, -1, -1)
        keys = network.embed(0, story) + network.temporal[0, newest_first]  # [slot, dim]
        by_hand = keys[-n:] @ u
    torch.testing.assert_close(scores[0, 0, -n:], by_hand)
    torch.testing.assert_close(weights[0, 0, -n:], torch.softmax(by_hand, dim=-1))
    assert (weights[0, :, :-n] == 0).all()  # empty memory slots


def test_a_run_has_a_memory_map_of_hops_over_sentences(tiny):
    run = tiny.run("Mary went to the kitchen. John went to the garden. Where is Mary?")
    maps = run.maps["memory"]
    assert maps.weights.shape == (3, 1, 1, 2)
    assert maps.key_tokens == ("Mary went to the kitchen.", "John went to the garden.")
    assert maps.query_tokens == ("Where is Mary?",)
    np.testing.assert_allclose(maps.weights.sum(axis=-1), 1.0, atol=1e-6)
    assert run.output_text in ("kitchen", "garden")
    assert sum(run.probabilities.values()) == pytest.approx(1.0)


def test_unknown_words_and_a_long_story_give_notes(tiny):
    story = " ".join(["Mary went to the kitchen."] * 5 + ["Sandra went to the hallway."])
    run = tiny.run(story + " Where is Sandra?")
    assert any("'sandra'" in note and "'hallway'" in note for note in run.notes)
    assert any("last 4 sentences" in note for note in run.notes)
    assert run.maps["memory"].weights.shape == (3, 1, 1, 4)


def test_weights_round_trip_through_safetensors(tiny, tmp_path):
    memnet.save_memnet(tiny.network, tiny.vocabulary, tmp_path)
    loaded = memnet.load_folder(tmp_path)
    text = "John went to the garden. Where is John?"
    np.testing.assert_array_equal(
        loaded.run(text).maps["memory"].weights, tiny.run(text).maps["memory"].weights
    )

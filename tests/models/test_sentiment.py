"""sentiment-bigru: attention pooling recomputed by hand, padding, unknown words, save/load."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from attnviz.models import sentiment
from attnviz.models.sentiment import BiGRUConfig, BiGRUPooling, SentimentBiGRU, WordVocabulary

WORDS = ["[PAD]", "[UNK]", "the", "film", "is", "good", "bad", "not", "."]


@pytest.fixture
def tiny() -> SentimentBiGRU:
    torch.manual_seed(0)
    config = BiGRUConfig(vocab=len(WORDS), embedding=8, hidden=6, attention=5, max_tokens=6)
    return SentimentBiGRU(BiGRUPooling(config).eval(), WordVocabulary(WORDS))


def test_words_are_lower_cased_with_punctuation_apart():
    assert sentiment.words("The film ISN'T good, is it?") == [
        "the",
        "film",
        "isn't",
        "good",
        ",",
        "is",
        "it",
        "?",
    ]


def test_the_pooling_weights_are_the_softmax_of_the_query_scores(tiny):
    network = tiny.network
    ids = torch.tensor([[2, 3, 4, 5, 8]])
    with torch.no_grad():
        logits, weights, scores = network(ids, torch.tensor([5]))
        states, _ = network.gru(network.embed(ids))  # [1, token, 2 * hidden]
        by_hand = torch.tanh(network.project(states)) @ network.query  # [1, token]
        alpha = torch.softmax(by_hand, dim=-1)
        summary = (alpha.unsqueeze(-1) * states).sum(dim=1)
    torch.testing.assert_close(scores, by_hand)
    torch.testing.assert_close(weights, alpha)
    torch.testing.assert_close(logits, network.classify(summary))


def test_padding_gets_exactly_zero_and_changes_nothing(tiny):
    network = tiny.network
    with torch.no_grad():
        alone, alone_weights, _ = network(torch.tensor([[2, 3, 4, 5]]), torch.tensor([4]))
        batch = torch.tensor([[2, 3, 4, 5, 0, 0], [7, 6, 8, 2, 3, 4]])
        padded, weights, _ = network(batch, torch.tensor([4, 6]))
    assert (weights[0, 4:] == 0).all()
    torch.testing.assert_close(padded[0], alone[0])
    torch.testing.assert_close(weights[0, :4], alone_weights[0])


def test_a_run_has_one_pooling_query_over_the_words_and_probabilities(tiny):
    run = tiny.run("The film is good.")
    maps = run.maps["pooling"]
    assert run.source_tokens == ("the", "film", "is", "good", ".")
    assert maps.query_tokens == ("[summary]",) and maps.key_tokens == run.source_tokens
    assert maps.weights.shape == (1, 1, 1, 5)
    assert maps.weights.sum() == pytest.approx(1.0, abs=1e-6)
    assert set(run.probabilities) == {"negative", "positive"}
    assert run.output_text == max(run.probabilities, key=run.probabilities.get)
    assert run.notes == ()


def test_unknown_words_are_named_in_a_note_not_an_error(tiny):
    run = tiny.run("Soundtrack good, soundtrack!")
    assert any("'soundtrack'" in note and "','" in note for note in run.notes)
    assert run.extras["unknown_words"] == ("soundtrack", ",", "!")


def test_long_text_is_cut_with_a_note_and_empty_text_refused(tiny):
    run = tiny.run("good " * 10)
    assert len(run.source_tokens) == 6 and any("cut at 6 words" in n for n in run.notes)
    with pytest.raises(ValueError, match="empty"):
        tiny.run("   ")
    only_emoji = tiny.run("😀")
    assert only_emoji.source_tokens == ("😀",) and "'😀'" in only_emoji.notes[0]


def test_weights_round_trip_through_safetensors(tiny, tmp_path):
    sentiment.save_bigru(tiny.network, tiny.vocabulary, tmp_path)
    loaded = sentiment.load_folder(tmp_path)
    original, again = tiny.run("not good ."), loaded.run("not good .")
    # float16 on disk: the same weights to about three digits
    np.testing.assert_allclose(
        again.maps["pooling"].weights, original.maps["pooling"].weights, atol=2e-3
    )
    with pytest.raises(ValueError, match="no shipped weights"):
        sentiment.load_folder(tmp_path / "missing")


def test_minilm_word_table_is_rebuilt_at_load_not_shipped(tmp_path):
    """With word_vectors "minilm-l6" the file leaves the frozen table out, and loading
    rebuilds it from the package: each word the mean of its MiniLM pieces, in float16."""
    from safetensors import safe_open
    from safetensors.torch import load_file
    from transformers import AutoTokenizer

    from attnviz.models.sentiment_minilm import base_path

    torch.manual_seed(0)
    words = ["[PAD]", "[UNK]", "the", "film", "unwatchable", "."]
    config = BiGRUConfig(vocab=len(words), hidden=6, attention=5, word_vectors="minilm-l6")
    network = BiGRUPooling(config).eval()
    sentiment.save_bigru(network, WordVocabulary(words), tmp_path)
    assert "embed.weight" not in load_file(str(tmp_path / "model.safetensors"))
    table = sentiment.load_folder(tmp_path).network.embed.weight
    pieces = AutoTokenizer.from_pretrained(base_path(), local_files_only=True)(
        "unwatchable", add_special_tokens=False
    )["input_ids"]
    assert len(pieces) > 1  # a word of several pieces: the mean is what is checked
    with safe_open(str(base_path() / "model.safetensors"), "pt") as weights:
        minilm = weights.get_tensor("embeddings.word_embeddings.weight")
    expected = minilm[pieces].mean(dim=0).half().float()
    torch.testing.assert_close(table[4], expected, atol=1e-3, rtol=0)
    assert torch.count_nonzero(table[0]) == 0
    torch.testing.assert_close(table[1], table[2:].mean(dim=0), atol=1e-3, rtol=0)


def test_shipped_model_carries_no_word_table_and_loads_it_from_minilm():
    from safetensors.torch import load_file

    folder = sentiment.WEIGHTS_DIR / sentiment.NAME
    assert "embed.weight" not in load_file(str(folder / "model.safetensors"))
    assert (folder / "model.safetensors").stat().st_size < 2_000_000
    run = sentiment.load_sentiment_bigru().run("A wonderful, moving film.")
    assert run.output_text == "positive"

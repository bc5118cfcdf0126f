"""The rnnenc-en-es recipe: bahdanau-en-es's tokens and sizes, no attention, from scratch."""

from __future__ import annotations

from pathlib import Path

import torch

from attnviz.models import rnn
from attnviz.training import train_mt
from tests.training.tiny_corpus import write_corpus

torch.set_num_threads(1)


def test_it_trains_from_scratch_on_the_tokenizers_of_bahdanau(tmp_path: Path) -> None:
    corpus, weights, tokenizer = write_corpus(tmp_path)
    (weights / "bahdanau-en-es").mkdir(parents=True)
    for side in ("source", "target"):
        tokenizer.save(weights / "bahdanau-en-es" / f"{side}_tokenizer.json")
    messages: list[str] = []
    progress = train_mt.train_mt(
        "rnnenc-en-es", messages.append, minutes=0.01, corpus_dir=corpus, weights_dir=weights
    )
    assert progress["step"] >= 1 and not any("warm start" in m for m in messages)
    assert not (corpus / "tokenizers").exists()  # no BPE trained on the corpus
    shipped = weights / "rnnenc-en-es"
    for side in ("source", "target"):
        assert (shipped / f"{side}_tokenizer.json").read_bytes() == (
            weights / "bahdanau-en-es" / f"{side}_tokenizer.json"
        ).read_bytes()
    model = rnn.load_folder(shipped, "rnnenc-en-es")
    assert model.config.score == "none" and model.config.source_vocab == tokenizer.vocab_size
    sizes = rnn.RNNConfig()
    assert (model.config.embedding, model.config.encoder_hidden) == (96, sizes.encoder_hidden)
    assert model.run("the red car").maps == {}

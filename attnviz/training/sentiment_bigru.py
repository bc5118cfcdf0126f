"""Train `sentiment-bigru` on the labelled Rotten Tomatoes sentences.

8,000 sentences are few for learning word meanings from scratch, so the word vectors start
from all-MiniLM-L6-v2's input embeddings (a word split into pieces gets the mean of its
pieces) and stay frozen: words the reviews never used, but MiniLM's vocabulary holds, keep a
meaningful vector. The GRU, the attention and the classifier are learnt here.
"""

from __future__ import annotations

import collections
import dataclasses
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
from torch import nn

from attnviz.models.sentiment import (
    MINILM_TABLE,
    PAD,
    UNKNOWN,
    BiGRUConfig,
    BiGRUPooling,
    WordVocabulary,
    minilm_vectors,
    save_bigru,
    words,
)
from attnviz.training.sentiment_data import Example, read_split


@dataclasses.dataclass(frozen=True)
class BiGRUTrainConfig:
    """How sentiment-bigru is trained."""

    batch_size: int = 32  # sentences per step
    learning_rate: float = 1e-3  # Adam
    epochs: int = 14  # at most; the best epoch on the validation split is kept
    patience: int = 4  # stop after this many epochs without a better validation accuracy
    max_minutes: float = 15.0  # wall-clock budget
    freeze_embedding: bool = True  # keep MiniLM's word vectors as they are
    seed: int = 0  # torch and batch-order seed


def build_vocabulary(train: Sequence[Example], tokenizer: object) -> WordVocabulary:
    """[PAD], [UNK], every training word, then MiniLM's whole (alphabetic) words."""
    counts = collections.Counter(w for sentence, _ in train for w in words(sentence))
    seen = [w for w, _ in counts.most_common()]
    known = set(seen)
    extra = sorted(
        t
        for t in tokenizer.get_vocab()  # type: ignore[attr-defined]
        if t.isalpha() and t.isascii() and t.islower() and t not in known
    )
    return WordVocabulary([PAD, UNKNOWN, *seen, *extra])


def encode(examples: Sequence[Example], vocabulary: WordVocabulary, limit: int) -> list:
    return [(vocabulary.encode(words(s)[:limit]) or [1], label) for s, label in examples]


def batches(encoded: list, size: int, rng: random.Random | None) -> list:
    order = list(range(len(encoded)))
    if rng is not None:
        rng.shuffle(order)
    out = []
    for start in range(0, len(order), size):
        rows = [encoded[i] for i in order[start : start + size]]
        width = max(len(ids) for ids, _ in rows)
        ids = torch.zeros(len(rows), width, dtype=torch.long)
        for row, (token_ids, _) in enumerate(rows):
            ids[row, : len(token_ids)] = torch.tensor(token_ids)
        lengths = torch.tensor([len(t) for t, _ in rows])
        out.append((ids, lengths, torch.tensor([label for _, label in rows])))
    return out


def accuracy(network: BiGRUPooling, data: list) -> float:
    network.eval()
    correct = total = 0
    with torch.inference_mode():
        for ids, lengths, labels in data:
            logits, _, _ = network(ids, lengths)
            correct += int((logits.argmax(-1) == labels).sum())
            total += len(labels)
    return correct / max(total, 1)


def train_sentiment_bigru(
    folder: Path,
    data: Path,
    log: Callable[[str], None],
    config: BiGRUTrainConfig = BiGRUTrainConfig(),
    model_config: BiGRUConfig | None = None,
) -> dict:
    """Train, keep the best epoch on the validation split and ship it to `folder`."""
    from tqdm import tqdm

    from attnviz.models.sentiment_minilm import load_base

    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    train = read_split(data, "train")
    vocabulary = build_vocabulary(train, load_base()[1])
    model_config = dataclasses.replace(model_config or BiGRUConfig(), vocab=len(vocabulary.words))
    network = BiGRUPooling(model_config)
    with torch.no_grad():
        network.embed.weight.copy_(minilm_vectors(vocabulary))
    if config.freeze_embedding:  # the table stays MiniLM's: rebuilt at load, not shipped
        network.config = dataclasses.replace(network.config, word_vectors=MINILM_TABLE)
    network.embed.weight.requires_grad_(not config.freeze_embedding)
    trainable = [p for p in network.parameters() if p.requires_grad]
    optimiser = torch.optim.Adam(trainable, lr=config.learning_rate)
    train_ids = encode(train, vocabulary, model_config.max_tokens)
    valid = batches(
        encode(read_split(data, "valid"), vocabulary, model_config.max_tokens), 256, None
    )
    started = time.monotonic()
    best: dict = {"valid_accuracy": -1.0}
    for epoch in range(1, config.epochs + 1):
        network.train()
        for ids, lengths, labels in tqdm(
            batches(train_ids, config.batch_size, rng), desc=f"epoch {epoch}", mininterval=5.0
        ):
            logits, _, _ = network(ids, lengths)
            loss = nn.functional.cross_entropy(logits, labels)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(trainable, 1.0)
            optimiser.step()
        valid_accuracy = accuracy(network, valid)
        minutes = (time.monotonic() - started) / 60
        log(
            f"epoch {epoch} loss {loss.item():.4f} valid accuracy {valid_accuracy:.4f} "
            f"({minutes:.1f} min)"
        )
        if valid_accuracy > best["valid_accuracy"]:
            best = {"epoch": epoch, "valid_accuracy": valid_accuracy}
            save_bigru(network, vocabulary, folder)
        elif epoch - best["epoch"] >= config.patience:
            break
        if minutes > config.max_minutes:
            break
    best["train_minutes"] = round((time.monotonic() - started) / 60, 1)
    best["vocabulary"] = len(vocabulary.words)
    log(f"shipped {folder.name}: {best}")
    return best

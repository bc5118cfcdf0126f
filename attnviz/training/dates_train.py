"""Train `bahdanau-dates` in under a minute, reporting progress and stoppable at any step."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import torch

from attnviz.models import dates
from attnviz.models.rnn import RNNModel, RNNTranslator, greedy_batch
from attnviz.training.dates_data import held_out_pairs, sample_pairs
from attnviz.training.train import Progress, TrainConfig, encode_pairs, fit

DATES_TRAINING = TrainConfig(
    batch_size=64,
    learning_rate=4e-3,
    warmup_steps=50,
    decay_from=600,
    epochs=20,
    max_minutes=0.9,
    clip=1.0,
    validate_every=250,
)


def exact_accuracy(network: RNNTranslator, pairs: list[tuple[str, str]]) -> float:
    """Share of `pairs` whose greedy output equals the ISO date exactly."""
    source_tokens, target_tokens = dates.tokenizers()
    sources = [source_tokens.encode(text)[0] + [3] for text, _ in pairs]
    outputs = greedy_batch(network, sources, max_steps=dates.dates_config().max_target_tokens)
    right = sum(
        target_tokens.decode(out) == iso for out, (_, iso) in zip(outputs, pairs, strict=True)
    )
    return right / len(pairs)


def train_dates(
    seconds: float = 50.0,
    target_accuracy: float = 0.995,
    seed: int = 0,
    training_pairs: int = 30_000,
    report: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    max_steps: int | None = None,
) -> tuple[RNNModel, Progress]:
    """Train a fresh dates model; stop at `target_accuracy` on held-out dates, after `seconds`,
    when `stop` is set, or after `max_steps`. `report` gets {"step", "epoch", "loss",
    "seconds"} after every step and also "accuracy" after each validation (every 250 steps).
    Returns the model and the final progress.
    """
    started = time.monotonic()
    torch.manual_seed(seed)
    source_tokens, target_tokens = dates.tokenizers()
    config = dates.dates_config()
    examples = encode_pairs(
        sample_pairs(training_pairs, seed),
        source_tokens,
        target_tokens,
        config.max_source_tokens,
        config.max_target_tokens,
    )
    validation = held_out_pairs(400, seed=seed + 1)
    network = RNNTranslator(config)
    budget = (seconds - (time.monotonic() - started)) / 60
    training = TrainConfig(**{**DATES_TRAINING.__dict__, "max_minutes": budget, "seed": seed})

    def validate() -> dict[str, float]:
        return {"accuracy": exact_accuracy(network, validation)}

    def should_stop(progress: Progress) -> bool:
        reached = progress.get("accuracy", 0.0) >= target_accuracy and progress.get(
            "validated", False
        )
        out_of_steps = max_steps is not None and progress["step"] >= max_steps
        return reached or out_of_steps or (stop is not None and stop.is_set())

    progress = fit(network, examples, training, validate, report, should_stop)
    return dates.wrap(network), progress

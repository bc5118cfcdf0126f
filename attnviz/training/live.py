"""Live training of `bahdanau-dates` for the classroom: a run in a background thread that
students watch, with snapshots of its alignment.

Each run trains its own fresh network (never the shared shipped one) with one torch thread
and a time budget of at most a minute. At most `MAX_RUNS` runs train at once in the server
process: on 2 cores one run fills one core, and the other must stay free for every other
session's reruns; a second run would also starve the first of the core it needs to reach 99%
within its budget. A run nobody has looked at for `ABANDONED_AFTER` seconds (its tab was
closed) stops and frees its place.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable

import numpy as np
import torch

from attnviz.models import dates
from attnviz.models.base import clean_text
from attnviz.models.rnn import RNNModel, RNNTranslator
from attnviz.training.dates_data import held_out_pairs, sample_pairs
from attnviz.training.dates_train import DATES_TRAINING, exact_accuracy
from attnviz.training.train import Progress, encode_pairs, fit

DEFAULT_SECONDS = 60  # the budget: >= 99% exact on held-out dates within a minute
TARGET_ACCURACY = 0.99
TRAINING_PAIRS = 30_000
VALIDATION_PAIRS = 400  # 99% means at most 4 of them wrong
VALIDATE_EVERY = 50  # steps; a validation costs about as much as 2 steps
SNAPSHOT_EVERY = 10  # steps between saved alignments
MAX_SNAPSHOTS = 160  # beyond this every other snapshot is dropped
MAX_RUNS = 1  # live runs at once in this process (see the module docstring)
ABANDONED_AFTER = 30.0  # seconds without a look before a run stops by itself
MAX_DATE_CHARACTERS = dates.dates_config().max_source_tokens - 1  # one token is [EOS]
RUNNING = ("preparing", "training")


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """The watched date's alignment at one training step."""

    step: int
    seconds: float
    loss: float
    accuracy: float | None  # the latest held-out exact share, None before the first check
    weights: np.ndarray  # [target_step, source_token]
    target_tokens: tuple[str, ...]
    source_tokens: tuple[str, ...]
    output_text: str


@dataclasses.dataclass(frozen=True)
class TrainingView:
    """What a page shows of a run at one moment (a copy: the run goes on meanwhile)."""

    # preparing, training, reached, out_of_time (seconds or max_steps spent), stopped, abandoned,
    # failed
    status: str
    progress: Progress
    snapshots: tuple[Snapshot, ...]
    seconds: float  # the time budget
    elapsed: float  # seconds since the start (until the end, once finished)
    error: str | None

    @property
    def running(self) -> bool:
        return self.status in RUNNING


class LiveTraining:
    """One training run of a fresh `bahdanau-dates` network in a background thread.

    Stops at `target_accuracy` exact on held-out dates, when `seconds` have passed (data
    preparation included), on `stop()`, or when nobody called `seen()` for ABANDONED_AFTER s.
    """

    def __init__(
        self,
        date: str,
        seconds: float = DEFAULT_SECONDS,
        target_accuracy: float = TARGET_ACCURACY,
        training_pairs: int = TRAINING_PAIRS,
        seed: int = 0,
        on_finish: Callable[[LiveTraining], None] | None = None,
        max_steps: int | None = None,
    ) -> None:
        self.date = date
        self.seconds = seconds
        self.max_steps = max_steps  # a budget in steps too: what a busy machine cannot stretch
        self.target_accuracy = target_accuracy
        self.training_pairs = training_pairs
        self.seed = seed
        self.on_finish = on_finish
        self.model: RNNModel | None = None  # the trained model, once finished
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = "preparing"
        self._progress: Progress = {"step": 0, "loss": float("nan"), "seconds": 0.0}
        self._snapshots: list[Snapshot] = []
        self._snapshot_every = SNAPSHOT_EVERY
        self._error: str | None = None
        self._last_seen = time.monotonic()
        self.started = time.monotonic()

    def start(self) -> None:
        self.started = self._last_seen = time.monotonic()
        self._thread = threading.Thread(target=self._run, name="attnviz-classroom", daemon=True)
        self._thread.start()

    def stop(self, wait: float = 5.0) -> None:
        """Ask the run to stop after its current step, and wait up to `wait` seconds."""
        self._stop.set()
        self.join(wait)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def seen(self) -> None:
        """Someone is watching: keep going."""
        self._last_seen = time.monotonic()

    def seconds_left(self) -> float:
        return max(0.0, self.seconds - (time.monotonic() - self.started))

    def view(self) -> TrainingView:
        with self._lock:
            running = self._status in RUNNING
            elapsed = time.monotonic() - self.started if running else self._progress["seconds"]
            return TrainingView(
                self._status,
                dict(self._progress),
                tuple(self._snapshots),
                self.seconds,
                elapsed,
                self._error,
            )

    def _run(self) -> None:
        try:
            self._train()
        except Exception as error:  # shown on the page; the server must not lose the thread
            with self._lock:
                self._status, self._error = "failed", f"{type(error).__name__}: {error}"
        finally:
            if self.on_finish is not None:
                self.on_finish(self)

    def _train(self) -> None:
        torch.set_num_threads(1)  # process-wide; the server uses one thread as well
        torch.manual_seed(self.seed)
        source, target = dates.tokenizers()
        config = dates.dates_config()
        pairs = sample_pairs(self.training_pairs, self.seed)
        examples = encode_pairs(
            pairs, source, target, config.max_source_tokens, config.max_target_tokens
        )
        validation = held_out_pairs(VALIDATION_PAIRS, seed=self.seed + 1)
        network = RNNTranslator(config)  # this run's own network
        self._snapshot(network, self._progress)  # untrained: the uniform smear
        with self._lock:
            self._status = "training"
        training = dataclasses.replace(
            DATES_TRAINING,
            max_minutes=self.seconds_left() / 60,
            seed=self.seed,
            validate_every=VALIDATE_EVERY,
        )
        progress = fit(
            network,
            examples,
            training,
            lambda: {"accuracy": exact_accuracy(network, validation)},
            lambda progress: self._report(network, progress),
            self._should_stop,
        )
        self.model = dates.wrap(network)
        self._finish(network, progress)

    def _should_stop(self, progress: Progress) -> bool:
        reached = progress.get("validated") and progress["accuracy"] >= self.target_accuracy
        abandoned = time.monotonic() - self._last_seen > ABANDONED_AFTER
        spent = self.max_steps is not None and progress["step"] >= self.max_steps
        return bool(reached or abandoned or spent or self._stop.is_set())

    def _report(self, network: RNNTranslator, progress: Progress) -> None:
        with self._lock:
            accuracy = progress.get("accuracy", self._progress.get("accuracy"))
            self._progress = {**progress, "seconds": time.monotonic() - self.started}
            if accuracy is not None:
                self._progress["accuracy"] = accuracy
        if progress["step"] % self._snapshot_every == 0:
            self._snapshot(network, self._progress)

    def _snapshot(self, network: RNNTranslator, progress: Progress) -> None:
        """The watched date's alignment now; runs between two steps, in this thread."""
        was_training = network.training
        run = dates.wrap(network).run(self.date)  # wrap() puts the network in eval mode
        network.train(was_training)
        snapshot = Snapshot(
            progress["step"],
            progress["seconds"],
            progress["loss"],
            progress.get("accuracy"),
            run.maps["cross"].head(0, 0),
            run.target_tokens,
            run.source_tokens,
            run.output_text or "",
        )
        with self._lock:
            self._snapshots.append(snapshot)
            if len(self._snapshots) > MAX_SNAPSHOTS:  # keep the first, thin the rest
                self._snapshots = self._snapshots[::2]
                self._snapshot_every *= 2

    def _finish(self, network: RNNTranslator, progress: Progress) -> None:
        with self._lock:
            accuracy = progress.get("accuracy", self._progress.get("accuracy"))
            progress = {**progress, "seconds": time.monotonic() - self.started}
            if accuracy is not None:
                progress["accuracy"] = accuracy
            self._progress = progress
            last_step = self._snapshots[-1].step if self._snapshots else -1
        if last_step != progress["step"]:
            self._snapshot(network, progress)
        if progress.get("validated") and progress["accuracy"] >= self.target_accuracy:
            status = "reached"
        elif self._stop.is_set():
            status = "stopped"
        elif time.monotonic() - self._last_seen > ABANDONED_AFTER:
            status = "abandoned"
        else:
            status = "out_of_time"
        with self._lock:
            self._status = status


class TrainingSlots:
    """Places for live runs in this process: at most `limit` train at once."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._runs: list[LiveTraining] = []

    def claim(self, run: LiveTraining) -> bool:
        with self._lock:
            if len(self._runs) >= self.limit:
                return False
            self._runs.append(run)
            return True

    def release(self, run: LiveTraining) -> None:
        with self._lock:
            if run in self._runs:
                self._runs.remove(run)

    def seconds_until_free(self) -> float:
        with self._lock:
            return min((run.seconds_left() for run in self._runs), default=0.0)


def date_problem(text: str) -> str | None:
    """Why the date model cannot read `text`, or None if it can."""
    try:
        cleaned, _ = clean_text(text)
    except ValueError:
        return "Type a date to watch, for example “27 November 2026”."
    unknown = sorted(set(cleaned) - set(dates.SOURCE_CHARACTERS))
    if unknown:
        listed = " ".join(unknown)
        return (
            f"The date model cannot read these characters: {listed}. It reads English "
            "letters, digits, spaces and , . / - '"
        )
    if len(cleaned) > MAX_DATE_CHARACTERS:
        return (
            f"The date is {len(cleaned)} characters long; the date model reads at most "
            f"{MAX_DATE_CHARACTERS}."
        )
    return None

"""Models and runs cached per process and shared by every session.

Runs are shared objects, not copies: a Run is immutable (frozen dataclass, read-only arrays),
and `st.cache_data` would pickle and copy every array on every rerun (72 maps of 512 x 512
floats are 75 MB). They live in a `SharedLRU` bounded by bytes as well as entries: a class
of short sentences keeps every student's run, and thirty 512-token texts cannot take the
server past the byte budget (Streamlit's caches bound entries only).
"""

from __future__ import annotations

import collections
import contextlib
import functools
import os
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import streamlit as st

import attnviz
from attnviz.attention import Run
from attnviz.models.base import AttentionModel

MAX_CACHED_RUNS = 64  # enough for a class of 30 to keep one or two sentences each
MAX_RUN_BYTES = 1024 * 2**20  # a 512-token MiniLM run holds 75 MB of weights
MAX_CACHED_MODELS = 8
# Model runs at once across all sessions. Each run uses one torch thread, so more runs than
# cores only add memory and make every run slower; the others queue here, behind the
# "Running the model…" spinner.
MAX_CONCURRENT_RUNS = max(1, min(4, os.cpu_count() or 1))
_RUN_SLOTS = threading.BoundedSemaphore(MAX_CONCURRENT_RUNS)

V = TypeVar("V")


class SharedLRU(Generic[V]):
    """Least-recently-used values shared by all threads, bounded by entries and by bytes.

    A value is computed once even when several sessions ask for it at the same moment; a
    failure is not stored; a value larger than the whole budget is returned but not kept.
    """

    def __init__(self, max_entries: int, max_bytes: int, size: Callable[[V], int]) -> None:
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._values: collections.OrderedDict[Hashable, tuple[V, int]] = collections.OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._values)

    @property
    def nbytes(self) -> int:
        return self._bytes

    def _lookup(self, key: Hashable) -> tuple[bool, V | None]:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return True, self._values[key][0]
        return False, None

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        found, value = self._lookup(key)
        if found:
            return value  # type: ignore[return-value]
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:  # one thread makes the value; the others wait and then find it
            found, value = self._lookup(key)
            if found:
                return value  # type: ignore[return-value]
            try:
                value = make()
            finally:
                with self._lock:
                    self._making.pop(key, None)
            self._store(key, value)
            return value

    def _store(self, key: Hashable, value: V) -> None:
        size = self._size(value)
        if size > self.max_bytes:
            return
        with self._lock:
            self._values[key] = (value, size)
            self._bytes += size
            while len(self._values) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._values.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._bytes = 0


def maps_nbytes(maps) -> int:
    """Bytes of the weights and mask of attention maps (a run's kind, or maps on display)."""
    return maps.weights.nbytes + (0 if maps.visible is None else maps.visible.nbytes)


def run_nbytes(run: Run) -> int:
    """Bytes of a run's arrays (weights and masks of every kind)."""
    return sum(maps_nbytes(maps) for maps in run.maps.values())


def spinner(text: str):
    """`st.spinner` inside a script run; nothing elsewhere (a download being made)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return st.spinner(text) if get_script_run_ctx() is not None else contextlib.nullcontext()


RUNS: SharedLRU[Run] = SharedLRU(MAX_CACHED_RUNS, MAX_RUN_BYTES, run_nbytes)


@functools.cache
def configure_torch() -> None:
    """One torch thread: on 2 shared cores, two threads can be many times slower."""
    import torch

    torch.set_num_threads(1)
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


@st.cache_resource(max_entries=MAX_CACHED_MODELS, show_spinner="Loading the model…")
def get_model(name: str) -> AttentionModel:
    """The shared model for a registry name or folder path; ValueError if it cannot load."""
    configure_torch()
    return attnviz.load(name)


def get_run(name: str, text: str, beam: int = 1, ablate: tuple = (), hypothesis: int = 0) -> Run:
    """The shared, immutable Run of one model on one text.

    ablate: (kind, layer, head) triples switched off for this run only; hypothesis: which of
    beam search's hypotheses a translator shows (0 is the best).
    """
    key = (name, text, int(beam), tuple(ablate), int(hypothesis))
    return RUNS.get(key, lambda: _run(*key))


def _run(name: str, text: str, beam: int, ablate: tuple, hypothesis: int) -> Run:
    options: dict = {"beam": beam}
    if ablate:
        options["ablate"] = ablate
    if hypothesis:
        options["hypothesis"] = hypothesis
    model = get_model(name)
    with spinner("Running the model…"), _RUN_SLOTS:
        return model.run(text, **options)

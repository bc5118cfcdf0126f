"""Models and runs cached per process and shared by every session.

Models come from the library's one cache (`attnviz.models.registry.LOADED`); `get_model` only
adds the spinner of a first load. This module holds the runs.

Runs are shared objects, not copies: a Run is immutable (frozen dataclass, read-only arrays),
and `st.cache_data` would pickle and copy every array on every rerun (72 maps of 512 x 512
floats are 75 MB). They live in a `SharedLRU` bounded by bytes as well as entries: a class
of short sentences keeps every student's run, and thirty 512-token texts cannot take the
server past the byte budget (Streamlit's caches bound entries only).

A run not in the cache is made by `SCHEDULER` (`attnviz.ui.scheduler`): one queue for all
sessions, one worker per core, each run made once however many sessions ask, a session's
stale request dropped, and the bytes of runs alive (cached or still held by a script) kept
under `LIVE_RUN_BYTES`. The page shows its place in line meanwhile (`attnviz.ui.waiting`).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import sys
import threading
import time

import streamlit as st

import attnviz
from attnviz.attention import Run
from attnviz.lru import SharedLRU
from attnviz.models.base import AttentionModel
from attnviz.models.folders import browser_folder, model_roots
from attnviz.models.registry import REGISTRY, loaded, looks_like_path
from attnviz.models.registry import _is_hub_name_not_folder as is_hub_name_not_folder
from attnviz.ui.scheduler import RunScheduler, cores
from attnviz.ui.waiting import in_script, session_of_script, wait_with_notice

MAX_CACHED_RUNS = 64  # enough for a class of 30 to keep one or two sentences each
# A 512-token MiniLM run holds 75 MB of weights; a class pasting 256-512-token texts averages
# 44 MB a run, so the cache keeps the runs of about 17 students. LIVE_RUN_BYTES bounds what
# the cache and every session's script hold together (`attnviz.ui.scheduler`).
MAX_RUN_BYTES = 768 * 2**20
LIVE_RUN_BYTES = 1024 * 2**20
# Workers that run models, for all sessions: one per core, one torch thread each, since more
# runs than cores only add memory and make every run slower. The others wait in one queue.
RUN_WORKERS = max(1, min(4, cores()))
# Linux nice of each worker thread: while a model runs, a layer or head change (a script
# slicing a cached run) gets the core first. Linux shares CPU between the threads of one
# process (and, with autogroups, one session) by these weights, so the workers still get every
# cycle the scripts leave.
RUN_NICE = 5


def maps_nbytes(maps) -> int:
    """Bytes of the weights and mask of attention maps (a run's kind, or maps on display)."""
    return maps.weights.nbytes + (0 if maps.visible is None else maps.visible.nbytes)


def run_nbytes(run: Run) -> int:
    """Bytes of a run's arrays (weights and masks of every kind)."""
    return sum(maps_nbytes(maps) for maps in run.maps.values())


def spinner(text: str):
    """`st.spinner` inside a script run; nothing elsewhere (a download being made)."""
    return st.spinner(text) if in_script() else contextlib.nullcontext()


# Bytes of evicted runs after which the process collects garbage and gives freed memory back.
COLLECT_AFTER_BYTES = 128 * 2**20
_evicted_bytes = 0
_evicted_lock = threading.Lock()


def collect_after_eviction(evicted: int) -> None:
    """Once `COLLECT_AFTER_BYTES` of runs have left the cache, free what they leave behind.

    Streamlit's collection after every script run is off (.streamlit/config.toml: it stalls
    every session for 100-400 ms), so an evicted run that some reference cycle still reaches
    (a widget's callback, a page's frame) would wait for Python's rare full collection, and
    memory the allocator keeps after a collection stays in the process. A long text (a 75 MB
    run) costs a second to compute; one collection per two of them is cheap beside it.
    """
    global _evicted_bytes
    with _evicted_lock:
        _evicted_bytes += evicted
        if _evicted_bytes < COLLECT_AFTER_BYTES:
            return
        _evicted_bytes = 0
    release_memory()


def release_memory() -> None:
    """Collect reference cycles, then hand the allocator's free pages back to the system."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc():
    """glibc, whose allocator can be tuned and trimmed; None elsewhere (macOS, musl)."""
    import ctypes
    import ctypes.util

    if sys.platform != "linux":
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim, libc.mallopt  # noqa: B018 (glibc has both; musl lacks malloc_trim)
    except (OSError, AttributeError):
        return None
    return libc


M_MMAP_THRESHOLD = -3  # mallopt parameters of glibc's malloc.h
M_ARENA_MAX = -8


@functools.cache
def tune_allocator() -> None:
    """Make freed attention maps go back to the system, once per process.

    glibc raises its mmap threshold to the size of the largest block freed (up to 32 MB), so
    after the first long run, every map of a megabyte comes from heaps that keep their pages;
    and each Streamlit session thread may get a heap (arena) of its own. A fixed threshold
    and two arenas keep large arrays in mappings that are unmapped when freed.
    """
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, 256 * 1024)
        libc.mallopt(M_ARENA_MAX, 2)


RUNS: SharedLRU[Run] = SharedLRU(
    MAX_CACHED_RUNS, MAX_RUN_BYTES, run_nbytes, on_evicted=collect_after_eviction
)
# Large runs nobody has looked at for this long leave their cache, so a server that a class
# has left returns to its resting memory; whoever comes back waits a second for the run.
IDLE_SECONDS = 120.0
LARGE_BYTES = 8 * 2**20  # a 512-token MiniLM run holds 75 MB, a 20-token one 0.1 MB
SWEEP_SECONDS = 15.0
IDLE_CACHES: list[SharedLRU] = [RUNS]  # display.py adds its own


@functools.cache
def start_sweeper() -> None:
    """Once per process, a daemon thread that drops idle large values every SWEEP_SECONDS."""

    def sweep() -> None:
        while True:
            time.sleep(SWEEP_SECONDS)
            for shared in tuple(IDLE_CACHES):
                try:
                    shared.drop_idle(IDLE_SECONDS, LARGE_BYTES)
                except Exception:  # a memory sweep must never end; log and go on
                    logging.getLogger(__name__).exception("could not drop idle values")

    threading.Thread(target=sweep, name="attnviz-idle-sweeper", daemon=True).start()


_training_slots = None
_training_slots_lock = threading.Lock()


def training_slots():
    """The process's places for live trainings (`attnviz.training.live.TrainingSlots`).

    Process-wide guards live here, in module state, never in `st.cache_resource`: any browser
    can send Streamlit's `clear_cache` message, which empties those caches, and a fresh set of
    places would let every session train at once.
    """
    global _training_slots
    with _training_slots_lock:
        if _training_slots is None:
            from attnviz.training.live import MAX_RUNS, TrainingSlots

            _training_slots = TrainingSlots(MAX_RUNS)
        return _training_slots


@functools.cache
def configure_torch() -> None:
    """One torch thread: on 2 shared cores, two threads can be many times slower."""
    import torch

    tune_allocator()
    torch.set_num_threads(1)
    from transformers.utils import logging

    logging.set_verbosity_error()
    logging.disable_progress_bar()


def model_key(name: str) -> str:
    """What a model is known by in this process: its registry name, or for a folder its
    resolved path, once the folder policy (`attnviz.models.folders`) allows the browser to
    open it; ValueError (the same sentence whatever is on disk) if it does not."""
    if name in REGISTRY:
        return name
    if model_roots() is None and (not looks_like_path(name) or is_hub_name_not_folder(name)):
        return name  # local use: `attnviz.load` opens the folder or cached name, or says no
    return str(browser_folder(name))


def get_model(name: str) -> AttentionModel:
    """The shared model for a registry name or a folder path; ValueError if it cannot load.

    Models live in the library's one cache (`attnviz.models.registry.LOADED`), outside
    Streamlit's: a `clear_cache` message from a browser must not make every session load its
    models again. The spinner is drawn only when a model is not in memory yet.
    """
    key = model_key(name)
    model = loaded(key)
    return model if model is not None else _load_model(key)


def _load_model(key: str) -> AttentionModel:
    configure_torch()
    with spinner("Loading the model…"):
        return attnviz.load(key)


def get_run(name: str, text: str, beam: int = 1, ablate: tuple = (), hypothesis: int = 0) -> Run:
    """The shared, immutable Run of one model on one text.

    ablate: (kind, layer, head) triples switched off for this run only; hypothesis: which of
    beam search's hypotheses a translator shows (0 is the best). A cached run returns at once
    (a layer or head change only slices it); otherwise the run joins the queue of all
    sessions' runs and the page shows its place in line until it is ready.
    """
    start_sweeper()
    key = (model_key(name), text, int(beam), tuple(ablate), int(hypothesis))
    session = session_of_script()
    found, run = SCHEDULER.cached(key, session)
    if found:
        return run  # type: ignore[return-value]
    model = get_model(name)  # loaded in the session, behind its own spinner
    ticket = SCHEDULER.submit(key, functools.partial(_run, model, *key[1:]), session)
    return wait_with_notice(ticket, SCHEDULER)


def _run(model: AttentionModel, text: str, beam: int, ablate: tuple, hypothesis: int) -> Run:
    options: dict = {"beam": beam}
    if ablate:
        options["ablate"] = ablate
    if hypothesis:
        options["hypothesis"] = hypothesis
    return model.run(text, **options)


def run_arrays(run: Run) -> list[tuple[object, int]]:
    """The arrays of a run whose lives make up its bytes, with their sizes."""
    arrays = [maps.weights for maps in run.maps.values()]
    arrays += [maps.visible for maps in run.maps.values() if maps.visible is not None]
    return [(array, array.nbytes) for array in arrays]


def _worker_init() -> None:
    """Each run worker: one torch thread (the setting is not always inherited by threads),
    and on Linux a lower priority than the sessions' scripts (`RUN_NICE`)."""
    import torch

    configure_torch()
    torch.set_num_threads(1)
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), RUN_NICE)


SCHEDULER: RunScheduler[Run] = RunScheduler(
    RUNS, run_arrays, RUN_WORKERS, LIVE_RUN_BYTES, init=_worker_init
)

"""Models and runs cached per process and shared by every session.

Runs are cached with `st.cache_resource`, not `st.cache_data`: a Run is immutable (frozen
dataclass, read-only arrays), so sessions can share one object, and `cache_data` would pickle
and copy every array on every rerun (72 maps of 512 x 512 floats are 75 MB).
"""

from __future__ import annotations

import functools

import streamlit as st

import attnviz
from attnviz.attention import Run
from attnviz.models.base import AttentionModel

MAX_CACHED_RUNS = 24  # a 512-token MiniLM run holds 75 MB of weights
MAX_CACHED_MODELS = 8


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
    # Streamlit keys its cache on the arguments as passed, so get_run(m, t) and
    # get_run(m, t, 1) would be two entries and two model runs: always pass all of them.
    return _cached_run(name, text, int(beam), tuple(ablate), int(hypothesis))


@st.cache_resource(max_entries=MAX_CACHED_RUNS, show_spinner="Running the model…")
def _cached_run(name: str, text: str, beam: int, ablate: tuple, hypothesis: int) -> Run:
    options: dict = {"beam": beam}
    if ablate:
        options["ablate"] = ablate
    if hypothesis:
        options["hypothesis"] = hypothesis
    return get_model(name).run(text, **options)

"""The shared caches: bounded by entries and by bytes, one computation per key, shared runs."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from attnviz.ui.cache import SharedLRU, get_run, run_nbytes


def sized(max_entries: int = 10, max_bytes: int = 100) -> SharedLRU[np.ndarray]:
    return SharedLRU(max_entries, max_bytes, lambda array: array.nbytes)


def test_least_recently_used_goes_first_when_the_bytes_run_out():
    cache = sized(max_bytes=100)
    a = cache.get("a", lambda: np.zeros(40, np.uint8))
    cache.get("b", lambda: np.zeros(40, np.uint8))
    assert cache.get("a", lambda: pytest.fail("a is cached")) is a  # a is now the most recent
    cache.get("c", lambda: np.zeros(40, np.uint8))  # 120 bytes: b, the oldest, goes
    assert (len(cache), cache.nbytes) == (2, 80)
    made = []
    cache.get("b", lambda: made.append("b") or np.zeros(40, np.uint8))
    assert made == ["b"]
    assert cache.get("c", lambda: pytest.fail("c is cached")).nbytes == 40


def test_entries_are_bounded_too():
    cache = sized(max_entries=3, max_bytes=10**6)
    for key in range(10):
        cache.get(key, lambda: np.zeros(1, np.uint8))
    assert len(cache) == 3 and cache.nbytes == 3


def test_a_value_larger_than_the_budget_is_returned_but_not_kept():
    cache = sized(max_bytes=100)
    kept = cache.get("small", lambda: np.zeros(10, np.uint8))
    assert cache.get("huge", lambda: np.zeros(1000, np.uint8)).nbytes == 1000
    assert (len(cache), cache.nbytes) == (1, 10)
    assert cache.get("small", lambda: pytest.fail("small is cached")) is kept


def test_a_failure_is_not_kept():
    cache = sized()

    def fail():
        raise ValueError("no such model")

    with pytest.raises(ValueError):
        cache.get("x", fail)
    assert cache.get("x", lambda: np.ones(2)).tolist() == [1.0, 1.0]


def test_sessions_asking_at_once_share_one_computation():
    cache = sized(max_bytes=10**6)
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return np.arange(4)

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(5)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert all(result is results[0] for result in results)


def test_get_run_shares_one_run_however_it_is_called():
    first = get_run("minilm-l6", "Shared runs, not copies.")
    assert get_run("minilm-l6", "Shared runs, not copies.", 1, (), 0) is first
    assert get_run("minilm-l6", "Shared runs, not copies.", beam=1, ablate=[]) is first
    weights = first.maps["encoder_self"].weights
    assert run_nbytes(first) == weights.nbytes
    assert not weights.flags.writeable


def test_idle_large_values_leave_and_the_eviction_is_reported():
    evicted: list[int] = []
    cache = SharedLRU(10, 10**6, lambda array: array.nbytes, on_evicted=evicted.append)
    cache.get("large", lambda: np.zeros(1000, np.uint8))
    cache.get("small", lambda: np.zeros(10, np.uint8))
    now = time.monotonic()
    assert cache.drop_idle(60, min_bytes=100, now=now) == 0  # just used
    assert cache.drop_idle(60, min_bytes=100, now=now + 61) == 1000
    assert (len(cache), cache.nbytes, evicted) == (1, 10, [1000])  # the small one stays
    cache.get("a", lambda: np.zeros(10**6 - 10, np.uint8))
    cache.get("b", lambda: np.zeros(20, np.uint8))  # over the budget: "small" and "a" go
    assert evicted == [1000, 10**6]


def test_clearing_streamlits_caches_keeps_models_and_the_training_slots():
    """What a browser's `clear_cache` message does (AppSession._handle_clear_cache_request)."""
    import streamlit as st

    from attnviz.ui import cache

    slots, model = cache.training_slots(), cache.get_model("bahdanau-dates")
    st.cache_data.clear()
    st.cache_resource.clear()
    assert cache.training_slots() is slots
    assert cache.get_model("bahdanau-dates") is model

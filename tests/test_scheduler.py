"""The run scheduler's promises, driven one job at a time (no worker threads, no clocks):
one computation per key, a stale request dropped, first come first served, places in line
reported, and live bytes bounded."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from attnviz.ui.cache import SharedLRU
from attnviz.ui.scheduler import Dropped, RunScheduler
from attnviz.ui.waiting import ordinal, waiting_text


def arrays(max_bytes: int = 10**6) -> SharedLRU[np.ndarray]:
    return SharedLRU(100, max_bytes, lambda array: array.nbytes)


def scheduler(cache=None, live_bytes: int = 10**6) -> RunScheduler[np.ndarray]:
    """No workers: each test runs the queue itself with `run_next(block=False)`."""
    cache = arrays() if cache is None else cache
    watch = lambda array: [(array, array.nbytes)]  # noqa: E731
    return RunScheduler(cache, watch, workers=0, live_bytes=live_bytes, admit_seconds=0)


def maker(calls: list, key: str, size: int = 8):
    def make() -> np.ndarray:
        calls.append(key)
        return np.zeros(size, np.uint8)

    return make


def run_all(queue: RunScheduler) -> int:
    ran = 0
    while queue.run_next(block=False):
        ran += 1
    return ran


def test_sessions_asking_for_one_run_share_one_computation():
    queue, calls = scheduler(), []
    first = queue.submit("k", maker(calls, "k"), session="a")
    second = queue.submit("k", maker(calls, "k"), session="b")
    assert first.job is second.job and queue.counts["shared"] == 1
    assert run_all(queue) == 1
    assert first.result() is second.result()
    later = queue.submit("k", maker(calls, "k"), session="c")  # now from the cache
    assert later.done and later.result() is first.result()
    assert calls == ["k"]


def test_a_session_that_asks_for_another_run_drops_its_queued_one():
    queue, calls = scheduler(), []
    old = queue.submit("old text", maker(calls, "old text"), session="a")
    new = queue.submit("new text", maker(calls, "new text"), session="a")
    assert old.done and queue.counts["dropped"] == 1
    with pytest.raises(Dropped):
        old.result()
    assert run_all(queue) == 1 and calls == ["new text"]
    assert new.result().nbytes == 8


def test_a_session_that_leaves_drops_its_run_unless_another_waits_for_it():
    queue, calls = scheduler(), []
    queue.submit("alone", maker(calls, "alone"), session="a").cancel()
    shared = queue.submit("shared", maker(calls, "shared"), session="b")
    staying = queue.submit("shared", maker(calls, "shared"), session="c")
    shared.cancel()
    assert run_all(queue) == 1 and calls == ["shared"]
    assert staying.result().nbytes == 8
    assert queue.counts["dropped"] == 1


def test_a_running_run_is_finished_and_kept_even_if_its_session_left():
    queue, calls = scheduler(), []
    ticket = queue.submit("k", maker(calls, "k"), session="a")
    original = ticket.job.make

    def leave_while_running():
        ticket.cancel()  # the student moves on while the model runs
        return original()

    ticket.job.make = leave_while_running
    assert run_all(queue) == 1
    assert queue.cache.lookup("k")[0] and queue.counts["dropped"] == 0


def test_places_in_line_are_reported_and_only_move_forward():
    queue, calls = scheduler(), []
    tickets = [queue.submit(f"t{n}", maker(calls, f"t{n}"), session=n) for n in range(4)]
    assert [ticket.position() for ticket in tickets] == [1, 2, 3, 4]
    tickets[1].cancel()  # the second student leaves: everyone behind moves up
    assert [tickets[n].position() for n in (0, 2, 3)] == [1, 2, 3]
    queue.run_next(block=False)
    assert [tickets[n].position() for n in (0, 2, 3)] == [0, 1, 2]
    assert queue.expected_seconds(2) > 0  # one run measured


def test_no_session_starves_while_others_keep_asking():
    """One student waits while four others send a new text after every run: the queue is
    first come, first served, so the waiting one runs within as many runs as sessions."""
    queue, calls = scheduler(), []
    for n in range(1, 5):
        queue.submit(f"s{n}-0", maker(calls, f"s{n}-0"), session=n)
    patient = queue.submit("patient", maker(calls, "patient"), session=0)
    for step in range(1, 6):
        queue.run_next(block=False)
        if patient.done:
            break
        for n in range(1, 5):  # the others' requests replace their own, never the patient's
            queue.submit(f"s{n}-{step}", maker(calls, f"s{n}-{step}"), session=n)
    assert patient.done and patient.result().nbytes == 8
    assert calls.index("patient") <= 4


def test_a_failure_reaches_every_waiter_and_is_not_kept():
    queue = scheduler()

    def fail():
        raise ValueError("The text is empty.")

    tickets = [queue.submit("bad", fail, session=n) for n in range(2)]
    run_all(queue)
    for ticket in tickets:
        with pytest.raises(ValueError, match="empty"):
            ticket.result()
    assert not queue.cache.lookup("bad")[0] and queue.counts["failed"] == 1


def test_live_bytes_stay_bounded_by_evicting_the_oldest_cached_run():
    """Three 100-byte runs under a 250-byte live budget: before the third starts, the cache
    gives up the oldest; nothing else holds it, so it is freed at once."""
    queue, calls = scheduler(arrays(max_bytes=10**6), live_bytes=250), []
    for key in ("a", "b", "c"):
        ticket = queue.submit(key, maker(calls, key, size=100))
        run_all(queue)
        ticket.result()
        del ticket  # the session has drawn its figure
        assert queue.snapshot()["alive_bytes"] <= 250
    assert [queue.cache.lookup(key)[0] for key in ("a", "b", "c")] == [False, True, True]
    assert queue.counts["over_budget"] == 0


def test_runs_held_by_sessions_count_against_the_budget():
    """A session still holding its evicted run keeps its bytes alive: the next run cannot fit
    and says so (it starts anyway after `admit_seconds`, here 0)."""
    queue, calls = scheduler(arrays(max_bytes=10**6), live_bytes=250), []
    held = []
    for key in ("a", "b", "c"):
        ticket = queue.submit(key, maker(calls, key, size=100))
        run_all(queue)
        held.append(ticket.result())
        del ticket
    assert queue.counts["over_budget"] == 1
    held.clear()
    assert queue.snapshot()["alive_bytes"] == queue.cache.nbytes <= 250


def test_workers_run_the_queue_in_their_own_threads():
    cache = arrays()
    watch = lambda array: [(array, array.nbytes)]  # noqa: E731
    threads = []

    def make():
        threads.append(threading.current_thread().name)
        return np.zeros(8, np.uint8)

    queue = RunScheduler(cache, watch, workers=2, live_bytes=10**6, name="test-run")
    tickets = [queue.submit(n, make) for n in range(6)]
    assert all(ticket.result().nbytes == 8 for ticket in tickets)
    assert queue.counts["done"] == 6 and len(threads) == 6
    assert {name.rsplit("-", 1)[0] for name in threads} == {"test-run"}


def test_a_value_is_made_once_even_if_asked_for_while_it_is_stored():
    """SharedLRU.get used to release its key before storing the value: a thread asking in
    between found neither and made the value again."""
    made_again = threading.Event()
    asked = []

    def size(array):
        if not asked:  # while the first value is being stored, another thread asks
            asked.append(threading.Thread(target=cache.get, args=("k", made_again.set)))
            asked[0].start()
            made_again.wait(0.5)
        return array.nbytes

    cache = SharedLRU(10, 10**6, size)
    cache.get("k", lambda: np.zeros(4))
    asked[0].join()
    assert not made_again.is_set()


def test_the_waiting_notice_says_where_the_run_stands():
    assert waiting_text(3, 4.2) == (
        "Waiting for the model: your text is 3rd in line, about 5 s to go."
    )
    assert waiting_text(14, 41.0).endswith("14th in line, about 40 s to go.")
    assert waiting_text(1, 0.0) == "Waiting for the model: your text is next in line."
    assert "running on your text now" in waiting_text(0, 0.5)
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "111th",
    ]


def test_a_run_nobody_shows_any_more_is_evicted_before_runs_still_shown():
    """Student a moves on from "a1" to "a2"; b still reads "b1", computed before "a1". When
    the cache must give up a run, it is "a1", not the older "b1"."""
    queue, calls = scheduler(arrays(max_bytes=250)), []
    for key, session in (("b1", "b"), ("a1", "a")):
        queue.submit(key, maker(calls, key, size=100), session=session)
        run_all(queue)
    queue.submit("a2", maker(calls, "a2", size=100), session="a")
    run_all(queue)
    assert [queue.cache.lookup(key)[0] for key in ("a1", "b1", "a2")] == [False, True, True]
    assert queue.cached("b1", session="b")[0]


def test_a_session_keeps_one_token_across_reruns_and_two_sessions_have_two():
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from attnviz.ui.waiting import outside_script, session_of_script

        st.session_state.setdefault("tokens", []).append(session_of_script())
        with outside_script():  # a download being made asks as no session
            st.session_state["outside"] = session_of_script()

    first = AppTest.from_function(script).run()
    first.run()
    second = AppTest.from_function(script).run()
    tokens = first.session_state["tokens"]
    assert len(tokens) == 2 and tokens[0] == tokens[1] and isinstance(tokens[0], str)
    assert second.session_state["tokens"][0] != tokens[0]
    assert first.session_state["outside"] is None


def test_a_download_is_made_outside_the_script_and_still_gets_its_run():
    """`made_outside_script` is how download buttons call their data: inside it, code knows
    that it draws into no page, and the wait simply returns the run."""
    from attnviz.ui.waiting import in_script, made_outside_script, wait_with_notice

    queue, calls = scheduler(), []
    seen = []

    def download() -> np.ndarray:
        seen.append(in_script())
        ticket = queue.submit("k", maker(calls, "k"))
        threading.Thread(target=run_all, args=(queue,)).start()
        return wait_with_notice(ticket, queue)

    assert made_outside_script(download)().shape == (8,)
    assert seen == [False] and calls == ["k"] and in_script()

"""What a session shows while its run waits in the queue of all sessions' runs.

A notice in the page where the figure will be: its place in line and about how long, redrawn
when that changes (as the queue moves), not more often: thirty waiting students redrawing a
notice every second cost the server more than a run. Four times a second the wait reads the
session state, which is where Streamlit stops a script run whose student has moved on (a new
text, another page, the tab closed); the ticket is cancelled on the way out, so a run nobody
waits for any more is dropped before it starts.
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import secrets
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

import streamlit as st

from attnviz.ui.scheduler import RunScheduler, Ticket

POLL_SECONDS = 0.25
WAITING = "Waiting for the model"  # how every notice starts (the load benchmark looks for it)
_NO_KEY = "attnviz.waiting"  # never set: reading it only lets Streamlit stop the run


_SESSION_KEY = "attnviz.session"  # this session's token, in its own session state
# False while Streamlit makes a download outside the session's script: no notice, no spinner.
_IN_SCRIPT = contextvars.ContextVar("attnviz_in_script", default=True)
T = TypeVar("T")


def in_script() -> bool:
    """Whether this code draws into a session's page (False while a download is made)."""
    return _IN_SCRIPT.get()


@contextlib.contextmanager
def outside_script() -> Iterator[None]:
    """Code that Streamlit runs beside a session's script, a download being made: it waits
    for its run without drawing a notice or a spinner and asks as no session."""
    token = _IN_SCRIPT.set(False)
    try:
        yield
    finally:
        _IN_SCRIPT.reset(token)


def made_outside_script(make: Callable[[], T]) -> Callable[[], T]:
    """`make`, called `outside_script` (for `st.download_button(data=...)`)."""

    def call() -> T:
        with outside_script():
            return make()

    return call


def session_of_script() -> Hashable:
    """A token of the session whose script runs this code, kept in its session state; None
    outside a script (`outside_script`)."""
    if not in_script():
        return None
    return st.session_state.setdefault(_SESSION_KEY, secrets.token_hex(8))


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def waiting_text(position: int, seconds_left: float) -> str:
    """The notice: the run's place in line (0: running) and the expected wait, in whole
    seconds up to 10 s, then in steps of 5 s (so it changes when the queue moves)."""
    if position <= 0:
        where = "it is running on your text now"
    elif position == 1:
        where = "your text is next in line"
    else:
        where = f"your text is {ordinal(position)} in line"
    seconds = math.ceil(seconds_left) if seconds_left < 10 else 5 * round(seconds_left / 5)
    expected = f", about {seconds} s to go" if seconds_left >= 1 else ""
    return f"{WAITING}: {where}{expected}."


def wait_with_notice(ticket: Ticket, scheduler: RunScheduler):
    """The ticket's run; while it waits, inside a script run, a notice of where it stands."""
    if ticket.done or not in_script():
        return ticket.result()
    notice = st.empty()
    shown = ""
    try:
        while not ticket.wait(POLL_SECONDS):
            st.session_state.get(_NO_KEY)  # Streamlit stops the run here if the student moved on
            position = ticket.position()
            text = waiting_text(position, scheduler.expected_seconds(position))
            if text != shown:
                notice.info(text, icon="⏳")
                shown = text
    except BaseException:  # Streamlit stopping the run: the session moved on
        ticket.cancel()  # its run is dropped unless it started or someone else waits
        raise
    try:
        return ticket.result()
    finally:
        notice.empty()  # the run's figure, or its error, takes the notice's place

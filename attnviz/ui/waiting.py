"""What a session shows while its run waits in the queue of all sessions' runs.

A notice in the page where the figure will be: its place in line and about how long, redrawn
when that changes (as the queue moves), not more often: thirty waiting students redrawing a
notice every second cost the server more than a run. Four times a second the wait reads the
session state, which is where Streamlit stops a script run whose student has moved on (a new
text, another page, the tab closed); the ticket is cancelled on the way out, so a run nobody
waits for any more is dropped before it starts.
"""

from __future__ import annotations

import math
from collections.abc import Hashable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from attnviz.ui.scheduler import RunScheduler, Ticket

POLL_SECONDS = 0.25
WAITING = "Waiting for the model"  # how every notice starts (the load benchmark looks for it)
_NO_KEY = "attnviz.waiting"  # never set: reading it only lets Streamlit stop the run


def session_of_script() -> Hashable:
    """The Streamlit session running this script, or None outside a script run."""
    ctx = get_script_run_ctx()
    return None if ctx is None else ("session", ctx.session_id)


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
    if ticket.done or get_script_run_ctx() is None:
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

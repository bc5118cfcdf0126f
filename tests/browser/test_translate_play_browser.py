"""In Chromium: an idle /translate asks the server for nothing, and Play plays to the end.

The step-through ticks with a fragment's `run_every`, which the browser turns into a timer
that sends a rerun request each second; only a playing step-through may have one.
"""

from __future__ import annotations

import attnviz
from attnviz.models.tokens import detokenize
from tests.browser.helpers import IDLE, wait_until_drawn

TEXT = "Anna has 12 books."
QUIET_MS = 3500  # longer than three ticks
SHOWS = "(text) => [...document.querySelectorAll('p')].some(p => p.textContent === text)"


def frames_sent_while_waiting(page, frames: list, milliseconds: int) -> int:
    before = len(frames)
    page.wait_for_timeout(milliseconds)
    return len(frames) - before


def test_an_idle_page_sends_no_reruns_and_play_reveals_every_token(server_url, page):
    frames: list = []
    page.on("websocket", lambda socket: socket.on("framesent", lambda frame: frames.append(frame)))
    page.goto(f"{server_url}/translate?text=Anna+has+12+books.")
    wait_until_drawn(page, figures=3)
    page.wait_for_timeout(1000)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert frames_sent_while_waiting(page, frames, QUIET_MS) == 0

    expected = detokenize(attnviz.run("bahdanau-en-es", TEXT).target_tokens)
    page.get_by_text("Step through the decoding, token by token").click()
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function(SHOWS, arg=f"So far: {expected}", timeout=60_000)
    page.wait_for_timeout(1500)  # the last tick's rerun of the whole page, which stops it
    page.wait_for_selector(IDLE, timeout=60_000)
    assert frames_sent_while_waiting(page, frames, QUIET_MS) == 0

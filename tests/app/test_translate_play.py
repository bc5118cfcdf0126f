"""AppTest of /translate's step-through: an idle session schedules no reruns; Play still plays.

The step-through is a fragment that Streamlit reruns every `run_every` seconds; the test
records each fragment the page declares (the real `st.fragment` still does the work) to see
when the page asks for ticks. AppTest reruns the whole page where the browser reruns only
the fragment; the fragment's body is the same either way.
"""

from __future__ import annotations

import pytest
import streamlit as st

import attnviz
from attnviz.models.tokens import detokenize
from tests.app.helpers import open_page

TEXT = "The red car is very fast."


@pytest.fixture
def declared(monkeypatch) -> list[tuple[str, object]]:
    """(function name, run_every) of every fragment declared while the test runs."""
    found: list[tuple[str, object]] = []
    real = st.fragment

    def recording(func=None, **options):
        found.append((getattr(func, "__name__", ""), options.get("run_every")))
        return real(func, **options)

    monkeypatch.setattr(st, "fragment", recording)
    return found


def so_far(app) -> str:
    return next(block.value for block in app.markdown if block.value.startswith("**So far:**"))


def test_a_session_that_does_not_play_schedules_no_periodic_rerun(declared):
    app = open_page("translate", text=TEXT)
    assert not app.exception
    assert declared and all(run_every is None for _, run_every in declared)
    app.button(key="translate.next").click().run()
    app.select_slider(key="translate.step").set_value(2).run()
    assert all(run_every is None for _, run_every in declared)
    assert so_far(app) == f"**So far:** {attnviz.run('bahdanau-en-es', TEXT).target_tokens[0]}"


def test_play_ticks_until_the_translation_is_complete_and_then_stops(declared):
    tokens = attnviz.run("bahdanau-en-es", TEXT).target_tokens
    app = open_page("translate", text=TEXT)
    app.button(key="translate.play").click().run()
    assert not app.exception
    assert declared[-1] == ("step_through_steps", 1.0)  # ticking now
    assert so_far(app) == "**So far:** …"  # the first token comes with the first tick
    for count in range(1, len(tokens)):
        app.run()  # what a tick does
        assert so_far(app) == "**So far:** " + detokenize(tokens[:count])
        assert declared[-1][1] == 1.0
    app.run()  # the last tick reveals the last token and stops the ticks
    assert not app.exception
    assert so_far(app) == "**So far:** " + detokenize(tokens)
    assert declared[-1] == ("step_through_steps", None)
    assert app.session_state["translate.revealed"] == len(tokens)
    assert not app.session_state["translate.playing"]
    app.run()  # nothing more happens: no tick, and nothing reveals past the end
    assert declared[-1][1] is None and app.session_state["translate.revealed"] == len(tokens)


def test_next_and_reset_stop_a_playing_step_through(declared):
    app = open_page("translate", text=TEXT)
    app.button(key="translate.play").click().run()
    app.run()
    app.button(key="translate.next").click().run()
    assert declared[-1][1] is None and not app.session_state["translate.playing"]
    stopped_at = app.session_state["translate.revealed"]
    app.run()
    assert app.session_state["translate.revealed"] == stopped_at  # no tick advances it
    app.button(key="translate.play").click().run()
    app.button(key="translate.reset").click().run()
    assert declared[-1][1] is None and app.session_state["translate.revealed"] == 0

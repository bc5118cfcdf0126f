"""Clicking through heads must not grow a session's widget records without bound.

Every head shown gives the clickable figures new element ids (Streamlit hashes the figure into
the id). Streamlit 1.67 keeps the metadata of every id a session ever drew, callback and all;
`attnviz.ui.stale_widgets` forgets the ids whose key has moved on.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.state.session_state import SessionState

from attnviz.ui import stale_widgets
from tests.app.helpers import open_page, widget


def records(app) -> tuple[int, int]:
    """(widget metadata entries, id-to-key entries) of the AppTest's session."""
    state = app._session_state._state
    return len(state._new_widget_state.widget_metadata), len(state._key_id_mapper.id_key_mapping)


def click_through_heads(app, heads: range) -> list[tuple[int, int]]:
    seen = []
    for head in heads:
        widget(app.selectbox, "Head").set_value(head).run()
        assert not app.exception
        seen.append(records(app))
    return seen


@pytest.fixture
def unpatched(monkeypatch):
    """Streamlit's own `on_script_finished`, restored whatever the test installs."""
    monkeypatch.setattr(SessionState, "on_script_finished", SessionState.on_script_finished)
    original = SessionState.on_script_finished
    if getattr(original, stale_widgets._INSTALLED, False):
        monkeypatch.setattr(SessionState, "on_script_finished", original.__wrapped__)


def test_streamlit_alone_keeps_a_record_per_head_shown(unpatched):
    # The day this fails, Streamlit has fixed the leak and stale_widgets can go.
    app = open_page("heads", text="the cat sat on the mat")
    seen = click_through_heads(app, range(1, 7))
    assert seen[-1][0] - seen[0][0] >= 5
    assert seen[-1][1] - seen[0][1] >= 5


def test_installed_the_records_stay_flat(unpatched):
    assert stale_widgets.install()
    assert stale_widgets.install()  # idempotent: wraps once
    assert not hasattr(SessionState.on_script_finished.__wrapped__, stale_widgets._INSTALLED)
    app = open_page("heads", text="the cat sat on the mat")
    seen = click_through_heads(app, range(1, 7))
    assert seen[-1] == seen[0], seen
    # The widgets still work after the clean-up: the page shows the last head picked.
    assert widget(app.selectbox, "Head").value == 6
    app.text_area(key="heads.text").set_value("a dog ran past").run()
    assert not app.exception
    assert records(app) == seen[0]


def test_a_failing_clean_up_never_breaks_the_page(unpatched, monkeypatch):
    def broken(state, drawn):
        raise AttributeError("a Streamlit release renamed something")

    assert stale_widgets.install()
    monkeypatch.setattr(stale_widgets, "forget_superseded", broken)
    app = open_page("heads", text="the cat sat on the mat")
    widget(app.selectbox, "Head").set_value(3).run()
    assert not app.exception
    assert widget(app.selectbox, "Head").value == 3

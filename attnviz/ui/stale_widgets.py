"""Forget widgets whose key now names another element: a session memory leak in Streamlit 1.67.

Streamlit identifies a widget by an id computed from its key *and* its parameters; for
`st.plotly_chart` with `on_select`, the parameters include the whole figure, so every rerun
that changes the figure gives the chart a new id. At the end of a run Streamlit drops the
values of widgets that were not drawn, but it keeps their metadata (callback, deserialiser
and what they reference: in the load test, one set of displayed attention maps each) and
the id-to-key entry. A student who clicks through heads for a lesson adds one
of each per chart per click, for as long as the tab is open: the class-of-30 load test grew
the server by about 140 MB per 1,000 interactions.

There is no supported way around it: a selection-activated `st.plotly_chart` takes the figure
into its id whatever its key (Streamlit 1.67 computes it with `key_as_main_identity=False`),
and the change Streamlit is discussing for keyed charts (stable key-based ids) leaves
selection-activated charts as they are. Keeping a clickable figure's spec unchanged would not
help either: the map itself changes with every head. So this module stays, alone of its kind
(`tests/test_layering.py`), until Streamlit keys those charts by their key.

`install()` wraps `SessionState.on_script_finished`: after Streamlit's own clean-up, it
removes the metadata and key entries of every element id that was not drawn in the run and
whose key has since been given to a different id. Such an id can never be drawn again (its
key now belongs to another element), so nothing that Streamlit keeps for "widgets that may
come back" is lost. If a Streamlit release renames the internals, `install()` leaves
Streamlit alone (and a clean-up that fails is logged, never raised), and
`tests/app/test_stale_widgets.py` fails.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

_INSTALLED = "_attnviz_forgets_superseded_widgets"


def forget_superseded(state: Any, drawn: frozenset[str]) -> int:
    """Remove the metadata and key entries of ids not `drawn` whose key maps to another id.

    `state` is a Streamlit `SessionState`; returns how many ids were forgotten.
    """
    mapper = state._key_id_mapper
    widgets = state._new_widget_state
    superseded = [
        element_id
        for element_id, key in mapper.id_key_mapping.items()
        if element_id not in drawn and mapper.get_id_from_key(key) != element_id
    ]
    for element_id in superseded:
        del mapper.id_key_mapping[element_id]
        widgets.widget_metadata.pop(element_id, None)
        widgets.states.pop(element_id, None)
        state._old_state.pop(element_id, None)
    return len(superseded)


def install() -> bool:
    """Wrap `SessionState.on_script_finished` once per process; False if it cannot."""
    from streamlit.runtime.state.session_state import SessionState

    finish = SessionState.on_script_finished
    if getattr(finish, _INSTALLED, False):
        return True
    try:
        forget_superseded(SessionState(), frozenset())  # every internal it uses is there
    except AttributeError:
        return False

    @functools.wraps(finish)
    def on_script_finished(self, widget_ids_this_run, *args, **kwargs):
        finish(self, widget_ids_this_run, *args, **kwargs)
        if kwargs.get("remove_stale_widgets", True):
            try:
                forget_superseded(self, widget_ids_this_run)
            except Exception:  # a memory fix must never break a session
                logging.getLogger(__name__).exception("could not forget superseded widgets")

    setattr(on_script_finished, _INSTALLED, True)
    SessionState.on_script_finished = on_script_finished
    return True

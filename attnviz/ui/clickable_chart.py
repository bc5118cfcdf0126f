"""A Plotly figure whose clicks reach Python, as a keyed Streamlit component.

`st.plotly_chart(on_select=...)` hashes the whole figure into the element's id, so every new
head drawn made a new widget, and Streamlit 1.67 keeps the records of every widget a session
ever drew (callback and all): a session that clicked through heads grew without bound. A
component with a key keeps one identity whatever its arguments (Streamlit documents this for
`declare_component`), so a clickable figure is one widget for the life of the session.

The component (`clickable/index.html`, ours) draws the figure it is sent with Plotly and sends
back the customdata of the point clicked. Plotly itself is the copy the `plotly` package ships,
served by a second component that is declared and never drawn, so nothing is downloaded and
nothing is copied.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit as st
import streamlit.components.v1 as components

HERE = Path(__file__).resolve().parent / "clickable"
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data"


def _declare() -> Callable:
    """The component's function. Declared on every use: each Streamlit runtime (each AppTest)
    has its own registry, and declaring again the same component is a no-op. The names are
    fixed (`attnviz.ui.clickable_chart.clickable` and `.plotly_js`): index.html loads
    `../attnviz.ui.clickable_chart.plotly_js/plotly.min.js`."""
    components.declare_component("plotly_js", path=str(PLOTLY_JS))
    return components.declare_component("clickable", path=str(HERE))


def clickable_chart(
    figure: go.Figure,
    key: str,
    on_click: Callable[[], None],
    config: dict,
    context: str = "",
) -> None:
    """Draw `figure`; a click on a point stores `{"customdata": ..., "context": context,
    "at": ms}` under `st.session_state[key]` and calls `on_click` before the rerun.

    context: what the figure shows (e.g. a text), so that a click kept from an earlier figure
    under the same key can be told apart (`clicked_point`)."""
    draw = _declare()
    draw(
        spec=figure.to_json(),
        config=config,
        context=context,
        key=key,
        default=None,
        on_change=on_click,
    )


def clicked_point(key: str, context: str | None = None) -> list[int] | None:
    """The customdata of the point last clicked in the chart under `key`, as integers; None
    without a click, or when `context` is given and the click was made on another figure."""
    event = st.session_state.get(key)
    if not isinstance(event, dict) or (context is not None and event.get("context") != context):
        return None
    data = event.get("customdata")
    if data is None:
        return None
    try:
        return [int(value) for value in (data if isinstance(data, list) else [data])]
    except (TypeError, ValueError):
        return None

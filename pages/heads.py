"""/heads: every head of a Transformer, one at a time, all at once, aggregated and measured.

The view (model, text, kind, layer, head, the view and its options) is `HeadsView`; the
controls and callbacks are in `attnviz.ui.heads_page`, the views themselves in
`attnviz.ui.heads`.
"""

from __future__ import annotations

import streamlit as st

from attnviz.ui import heads_page
from attnviz.ui.heads_page import HeadsView
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button
from attnviz.ui.url import write_params
from attnviz.ui.widgets import show_notices


def main() -> None:
    """The page. Everything it computes is local to this call: a page's module globals live
    in a reference cycle (its functions point back at them), so maps kept there would outlive
    the run and hold an evicted run's arrays until a full garbage collection."""
    st.title("Heads")
    st.caption("Which tokens each token attends to, in every layer and head.")
    copy_link_button()
    show_notices(heads_page.read_url_once())
    with st.sidebar:
        heads_page.display_controls()
    view = heads_page.controls()
    if view is None:
        return
    if not view.text.strip():
        st.warning("The text is empty; type at least one word.")
    elif (maps := heads_page.load_maps(view)) is not None:
        show_notices(maps.notes)
        if maps.weights.shape[2] == 0 or maps.weights.shape[3] == 0:
            st.warning("Nothing is left to show once special tokens are hidden.")
        else:
            heads_page.show_view(view, maps)
    write_params(heads_page.page_url(heads_page.as_shown(view)), HeadsView.PAGE)


require_navigation()
main()

"""/compare: two heads side by side, their difference, how alike all heads are, heads off.

The view (both sides' model, text, kind, layer and head, words, heads off) is `CompareView`;
the controls and callbacks are in `attnviz.ui.compare_page`, the figures in
`attnviz.ui.compare`.
"""

from __future__ import annotations

import streamlit as st

from attnviz.ui import compare, compare_page
from attnviz.ui.compare_page import CompareView
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.safe_text import show_error
from attnviz.ui.url import write_params
from attnviz.ui.widgets import show_notices


def main() -> None:
    st.title("Compare")
    st.caption("Two heads side by side on one colour scale, and what separates them.")
    copy_link_button()
    show_notices(compare_page.notices())
    presets = st.container()  # drawn once side A's model is known: it decides what is offered
    a, b = compare_page.sides()
    with presets:
        compare_page.preset_buttons(a)
    if a is None or b is None:
        return
    if not a.text.strip() or not b.text.strip():
        st.warning("The text is empty; type at least one word on both sides.")
        return
    words = compare_page.words_toggle()
    try:
        map_a, map_b = compare.head_map(a, words), compare.head_map(b, words)
    except ValueError as error:
        show_error(str(error))
        view = CompareView.of(a, b, words)
        write_params(view.to_url() | presentation_params(), CompareView.PAGE)
        return
    if words:
        st.caption(compare.WORDS_NOTE)
    compare.show_pair(a, b, map_a, map_b)
    st.subheader("Difference")
    compare.show_difference(a, b, map_a, map_b, words)
    st.subheader("How alike are the heads?")
    compare.show_similarity(a, compare_page.open_pair, compare_page.SIMILARITY)
    st.subheader("Switch heads off")
    off = compare_page.ablation_controls(a)
    if off:
        compare.show_ablation(a, off)
    view = CompareView.of(a, b, words, off)
    write_params(view.to_url() | presentation_params(), CompareView.PAGE)


require_navigation()
main()

"""/generate: a language model's next-token distribution, sampling, and its causal map growing.

The view (model, prompt, temperature, top-k, seed, layer, head) is `GenerateView`; the
controls, callbacks and sections are in `attnviz.ui.generate`.
"""

from __future__ import annotations

import streamlit as st

from attnviz.ui import generate
from attnviz.ui.generate import GenerateView
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.url import write_params
from attnviz.ui.widgets import show_notices


def main() -> None:
    st.title("Generate")
    copy_link_button()
    show_notices(generate.notices())
    st.markdown(generate.INTRODUCTION)
    view = generate.controls()
    run = generate.causal_run(view)
    if run is not None:
        generate.next_token_controls(run, view)
        view = generate.with_layer_head(view, run)
        map_tab, heads_tab = st.tabs(["Causal map", "All heads"])
        with map_tab:
            generate.causal_map_section(run, view.layer, view.head)
        with heads_tab:
            generate.all_heads_section(run, view.layer, view.head)
    write_params(view.to_url() | presentation_params(), GenerateView.PAGE)


require_navigation()
main()

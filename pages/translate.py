"""/translate: watch a translator attend, one decoder step at a time; and dates, by character.

The view (model, text, beam, hypothesis, step, whole words) is `TranslateView`; the controls,
callbacks and step-through are in `attnviz.ui.translate_page`, the figures in
`attnviz.ui.translate`.
"""

from __future__ import annotations

import streamlit as st

from attnviz.ui import translate, translate_page
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.translate_page import TranslateView
from attnviz.ui.url import write_params
from attnviz.ui.widgets import show_notices


def translator_view() -> TranslateView:
    """The English-Spanish translators: the translation, its alignment and one step opened."""
    view = translate_page.translator_controls()
    if not view.text.strip():
        st.warning("The text is empty; type an English sentence.")
        return view
    hypothesis = translate_page.hypothesis_choice(view)
    run = translate_page.translation_run(view, hypothesis)
    if run is None:
        return view
    view = translate_page.with_alignment(view, run)
    translate.show_alignment(
        run,
        translate.cross_map(run),
        view.step,
        translate_page.pick_step,
        translate_page.ALIGNMENT,
        words=bool(view.words),
    )
    if translate.is_multihead(run):
        st.caption(translate.mean_of_heads_note(run))
    with st.container(border=True):
        translate.show_step(run, view.step)
    with st.expander("Step through the decoding, token by token"):
        translate_page.step_through(view)
    with st.expander("Compare scoring functions on this sentence"):
        translate_page.comparison_view(view.text)
    return view


def dates_view() -> TranslateView:
    """The character-level date normaliser."""
    view = translate_page.date_controls()
    if not view.text.strip():
        st.warning("The text is empty; type a date.")
        return view
    run = translate_page.date_run(view)
    if run is None:
        return view
    view = translate_page.with_step(view, run)
    translate.show_alignment(
        run, translate.cross_map(run), view.step, translate_page.pick_step, translate_page.ALIGNMENT
    )
    st.caption(translate_page.DATES_CAPTION)
    with st.container(border=True):
        translate.show_step(run, view.step)
    return view


def main() -> None:
    st.title("Translate")
    copy_link_button()
    show_notices(translate_page.read_url_once())
    st.markdown(translate.INTRODUCTION)
    mode = translate_page.mode_picker()
    view = dates_view() if mode == translate_page.DATES_MODE else translator_view()
    write_params(view.to_url() | presentation_params(), TranslateView.PAGE)


require_navigation()
main()

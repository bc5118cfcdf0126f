"""/tasks: sentiment analysis and question answering, and what their models attend to.

The view (task, model, review or story, MiniLM's layer and head) is `TasksView`; the
controls and the sections are in `attnviz.ui.tasks`.
"""

from __future__ import annotations

import streamlit as st

from attnviz.ui import tasks
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.tasks import TasksView
from attnviz.ui.url import write_params
from attnviz.ui.widgets import show_notices


def sentiment_view() -> TasksView:
    """A review in, its sentiment and the words the model weighed out."""
    st.markdown(tasks.SENTIMENT_INTRODUCTION)
    view = tasks.review_controls()
    if not view.review.strip():
        st.warning("The text is empty; type a review.")
        return view
    if view.model == tasks.MINILM:
        view = tasks.with_layer_head(view)
    run = tasks.run_or_error(view.model, view.review)
    if run is not None:
        tasks.sentiment_results(run, view)
    return view


def qa_view() -> TasksView:
    """A story and a question in, the answer and the hops over the sentences out."""
    st.markdown(tasks.QA_INTRODUCTION)
    view = tasks.story_controls()
    if not view.story.strip():
        st.warning("The text is empty; type a story and a question.")
        return view
    run = tasks.run_or_error(tasks.QA_MODEL, view.story)
    if run is not None:
        tasks.qa_results(run)
    return view


def main() -> None:
    st.title("Tasks")
    copy_link_button()
    show_notices(tasks.read_url_once())
    view = qa_view() if tasks.task_picker() == tasks.QA else sentiment_view()
    write_params(view.to_url() | presentation_params(), TasksView.PAGE)


require_navigation()
main()

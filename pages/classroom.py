"""/classroom: train `bahdanau-dates` live and watch its attention sharpen, beside short lessons.

The live training (one run at a time in the process, polled once a second) is in
`attnviz.ui.classroom`; the lessons are in `attnviz.ui.lessons`.
"""

from __future__ import annotations

import streamlit as st

from attnviz.ui import classroom
from attnviz.ui.cache import configure_torch
from attnviz.ui.classroom import ClassroomView
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.url import write_params
from attnviz.ui.widgets import show_notices


def classroom_page() -> None:
    require_navigation()
    configure_torch()
    st.title("Classroom")
    st.caption(
        "Train the date model (“27 Nov 2026” → “2026-11-27”) from scratch and watch its "
        "attention go from a uniform smear to a clean alignment."
    )
    copy_link_button()
    show_notices(classroom.read_url_once())
    training, lesson_column = st.columns([3, 2], gap="large")
    with lesson_column:
        classroom.lesson_section()
    with training:
        classroom.training_section()
    view = ClassroomView.from_widgets()
    write_params(view.to_url() | presentation_params(), ClassroomView.PAGE)


classroom_page()

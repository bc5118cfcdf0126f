"""attnviz: the Streamlit entry point. Page config, navigation and the one app-wide switch
(presentation mode), nothing else (and one Streamlit memory fix, see
`attnviz/ui/stale_widgets.py`, and one history fix, see `attnviz/ui/navigation.py`)."""

import streamlit as st

from attnviz.ui import navigation, presentation, stale_widgets

stale_widgets.install()
st.set_page_config(page_title="attnviz", page_icon="🔎", layout="wide")
pages = [
    st.Page("pages/home.py", title="Start", icon=":material/home:", default=True),
    st.Page(
        "pages/translate.py", title="Translate", icon=":material/translate:", url_path="translate"
    ),
    st.Page("pages/heads.py", title="Heads", icon=":material/grid_view:", url_path="heads"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare:", url_path="compare"),
    st.Page(
        "pages/classroom.py", title="Classroom", icon=":material/school:", url_path="classroom"
    ),
    st.Page("pages/tasks.py", title="Tasks", icon=":material/quiz:", url_path="tasks"),
    st.Page(
        "pages/generate.py", title="Generate", icon=":material/edit_note:", url_path="generate"
    ),
]
page = st.navigation(pages)
presentation.presentation_switch()
navigation.one_history_entry_per_page()
page.run()
presentation.keep_in_url()

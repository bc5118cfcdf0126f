"""attnviz: the Streamlit entry point. Page config, navigation and the one app-wide switch
(presentation mode), nothing else (and one history fix, see `attnviz/ui/navigation.py`)."""

import streamlit as st

from attnviz.ui import navigation, presentation

st.set_page_config(page_title="attnviz", page_icon="🔎", layout="wide")
page = st.navigation(navigation.app_pages())
presentation.presentation_switch()
navigation.one_history_entry_per_page()
with navigation.through_app():
    page.run()
presentation.keep_in_url()

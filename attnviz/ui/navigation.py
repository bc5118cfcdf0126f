"""Guard against Streamlit's legacy multipage mode.

Streamlit 1.67 decides per process, at the first session, whether an app "uses the pages
directory" (a `pages/` folder beside the entry point). Until some run has called
`st.navigation`, a session whose first request is a page URL such as `/heads` runs that page
file directly in the legacy mode: `app.py` never runs, so there is no page config and the
sidebar lists raw file names. Each page calls `require_navigation()` first; in legacy mode it
switches the flag off and reruns, and the rerun goes through `app.py` and `st.navigation`.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def require_navigation() -> None:
    """Rerun through app.py if this page was started by the legacy pages/ discovery."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()

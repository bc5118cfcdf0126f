"""Guard against Streamlit's legacy multipage mode, and one browser history entry per page.

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


# Streamlit 1.67's browser side pushes a page's bare URL ("/translate") when the page changes,
# and pushes again when the page then writes its state into the query string
# (`handlePageInfoChanged` uses replaceState only during Back/Forward). Back from the second
# entry lands on the first, whose rerun writes the same state back: Back seemed to do nothing
# and took two presses to leave a page. Streamlit has no option to replace instead, so this
# script folds that second push into the first entry; every later change of a view (a new
# step, another head) still adds its own entry. It wraps only the browser's pushState, not
# Streamlit's code, and is installed once per browser tab.
ONE_ENTRY_PER_PAGE_JS = """
<script>
(() => {
  if (window.attnvizOneEntryPerPage) return;
  window.attnvizOneEntryPerPage = true;
  const push = window.history.pushState.bind(window.history);
  window.history.pushState = (state, title, url) => {
    const next = url == null ? null : new URL(url, window.location.href);
    const bare = window.location.search === '' && window.location.hash === '';
    if (next && bare && next.pathname === window.location.pathname && next.search !== '') {
      return window.history.replaceState(state, title, url);  // the page's first state
    }
    return push(state, title, url);
  };
})();
</script>
"""


def one_history_entry_per_page() -> None:
    """Make Back leave a page in one press (see ONE_ENTRY_PER_PAGE_JS); app.py calls it."""
    st.sidebar.html(ONE_ENTRY_PER_PAGE_JS, unsafe_allow_javascript=True)

"""The app's pages, a guard against Streamlit's legacy multipage mode, and one browser
history entry per page.

Streamlit 1.67 decides per process, at the first session, whether an app "uses the pages
directory" (a `pages/` folder beside the entry point), and only a call of `st.navigation` turns
that off. Until some run has made that call, a session whose first request is a page URL such
as `/heads` runs that page file directly in the legacy mode: `app.py` never runs, so there is no
page config and the sidebar lists raw file names. `app.py` runs its page inside
`through_app()`; a page that finds itself run without it (`require_navigation()`, each page's
first call) calls `st.navigation` with the app's own pages, which ends the legacy mode for the
process, and reruns, and the rerun goes through `app.py`. Only public Streamlit calls.
(AppTest starts every `switch_page` run in the legacy mode, so the app tests take this way
on every page change.)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import streamlit as st

from attnviz import app_files

# The pages of the app, in the sidebar's order: (script, title, icon, URL path or None for the
# default page).
PAGES = (
    ("pages/home.py", "Start", ":material/home:", None),
    ("pages/translate.py", "Translate", ":material/translate:", "translate"),
    ("pages/heads.py", "Heads", ":material/grid_view:", "heads"),
    ("pages/compare.py", "Compare", ":material/compare:", "compare"),
    ("pages/classroom.py", "Classroom", ":material/school:", "classroom"),
    ("pages/tasks.py", "Tasks", ":material/quiz:", "tasks"),
    ("pages/generate.py", "Generate", ":material/edit_note:", "generate"),
)


def app_pages() -> list[st.Page]:
    """The app's pages for `st.navigation`; the first is the default."""
    folder = app_files.app_script().parent  # absolute: a page may call this (see below)
    return [
        st.Page(folder / script, title=title, icon=icon, url_path=path, default=path is None)
        for script, title, icon, path in PAGES
    ]


_RUN = threading.local()  # one script thread per session run
_RERAN = "attnviz.navigation.reran"  # the last run was a page's, which called st.navigation


@contextlib.contextmanager
def through_app() -> Iterator[None]:
    """Mark the page run that `app.py` starts (see `require_navigation`)."""
    _RUN.through_app = True
    st.session_state.pop(_RERAN, None)
    try:
        yield
    finally:
        _RUN.through_app = False


def require_navigation() -> None:
    """Rerun through app.py if this page was started by the legacy pages/ discovery.

    Not twice in a row: a page run on its own as the main script (an AppTest of one page) is
    not inside `through_app()` either, and its rerun runs the page again.
    """
    if not getattr(_RUN, "through_app", False) and not st.session_state.get(_RERAN):
        st.session_state[_RERAN] = True
        st.navigation(app_pages(), position="hidden")  # ends the legacy mode for the process
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

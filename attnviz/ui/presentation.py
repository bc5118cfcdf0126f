"""Presentation mode and sharing: large type for a projector, and a link to the current view.

Presentation mode is one switch for the whole app (session state `present`, URL `present=1`):
larger text and token labels, black on white, no Streamlit toolbar or menu. It is designed to
stay readable from the back of a room on a 1280 x 720 projector.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from attnviz.figures.layout import fit_title
from attnviz.ui.safe_text import show_info
from attnviz.ui.url import read_flag

STATE = "present"
# Characters per title line at 26 px: fits a figure in a half-width column at 1280 x 720.
ROOM_TITLE_WIDTH = 34
PRESENTATION_CSS = """
<style>
  html { font-size: 20px; }
  [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], #MainMenu, footer { display: none !important; }
  [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #ffffff; color: #000; }
  .block-container, [data-testid="stMainBlockContainer"] {
    padding: 1rem 1.5rem 3rem 1.5rem !important; max-width: 100% !important;
  }
  /* A formula wider than its column scrolls instead of being cut off. */
  .katex-display { overflow-x: auto; overflow-y: hidden; padding-bottom: 0.2rem; }
  .katex-display > .katex { font-size: 1em; }
  h1 { font-size: 2.4rem !important; }
  p, label, li, .stMarkdown { color: #000000 !important; }
</style>
"""
COPY_LINK_HTML = """
<button id="attnviz-copy-link" type="button" style="padding: 0.3rem 0.8rem;
  border: 1px solid #999; border-radius: 0.5rem; background: #fff; cursor: pointer;">
  Copy link to this view</button>
<script>
(() => {
  const button = document.getElementById('attnviz-copy-link');
  if (!button || button.dataset.ready) return;
  button.dataset.ready = '1';
  const label = button.textContent;
  button.addEventListener('click', async () => {
    const url = window.location.href;  // the page keeps its URL in step with the view
    try {
      await navigator.clipboard.writeText(url);
      button.textContent = 'Link copied';
    } catch (error) {
      window.prompt('Copy this link:', url);
    }
    setTimeout(() => { button.textContent = label; }, 2000);
  });
})();
</script>
"""


def read_presentation_url() -> None:
    """Initialise the switch from the URL's `present=` once per session."""
    if STATE not in st.session_state:
        st.session_state[STATE], note = read_flag(st.query_params, STATE, False)
        if note:
            show_info(note)


def presentation_switch() -> bool:
    """The one switch for the whole app, drawn by app.py before the page runs.

    A widget in the entry point keeps its state across pages (a page's own widgets are
    dropped when another page runs), so the mode stays on from page to page.
    """
    read_presentation_url()
    presenting = st.sidebar.toggle(
        "Presentation mode", key=STATE, help="Large type and high contrast for a projector."
    )
    if presenting:
        st.html(PRESENTATION_CSS)
    return presenting


def keep_in_url() -> None:
    """After the page: `present=1` in the URL exactly when presentation mode is on.

    Changing page clears the URL; this puts the flag back, so a copied link keeps the mode."""
    if is_presenting():
        if st.query_params.get(STATE) != "1":
            st.query_params[STATE] = "1"
    elif STATE in st.query_params:
        del st.query_params[STATE]


def is_presenting() -> bool:
    """Whether presentation mode is on. The switch is drawn once, by app.py
    (`presentation_switch`); a page run on its own reads `present=` from the URL."""
    read_presentation_url()
    return bool(st.session_state.get(STATE, False))


def presentation_params() -> dict[str, str]:
    """The URL parameter that keeps presentation mode in a shared link."""
    return {STATE: "1"} if is_presenting() else {}


def style_for_room(figure: go.Figure) -> go.Figure:
    """Large token labels and titles, black text on white: readable on a projector. Titles
    are wrapped to fit, above the top axis's labels and clear of the toolbar."""
    figure.update_layout(
        font={"size": 18, "color": "#000000"},
        title_font={"size": 26},
        paper_bgcolor="#ffffff",
    )
    figure.update_xaxes(tickfont={"size": 18, "color": "#000000"})
    figure.update_yaxes(tickfont={"size": 18, "color": "#000000"})
    height = figure.layout.height
    if height:
        figure.update_layout(height=int(height * 1.3))
    return fit_title(figure, ROOM_TITLE_WIDTH)


def copy_link_button() -> None:
    """A button that copies the browser's current URL, which always describes the view."""
    st.html(COPY_LINK_HTML, unsafe_allow_javascript=True)

"""The landing page: what attnviz shows and where to start."""

import streamlit as st

from attnviz.models.registry import list_models
from attnviz.ui.navigation import require_navigation


def main() -> None:
    st.title("attnviz")
    st.markdown(
        "See what neural networks attend to. Type a sentence, pick a model, a layer and a head, "
        "and read the attention weights the model really computed: every row of a map is one "
        "query token's attention over the key tokens, and sums to 1."
    )
    st.page_link(
        "pages/translate.py",
        label="Translate: watch a translator attend, one decoder step at a time",
        icon=":material/translate:",
    )
    st.page_link(
        "pages/heads.py",
        label="Heads: one head, every head, aggregates and statistics",
        icon=":material/grid_view:",
    )
    st.page_link(
        "pages/compare.py",
        label="Compare: two heads side by side, how alike heads are, heads switched off",
        icon=":material/compare:",
    )
    st.page_link(
        "pages/classroom.py",
        label="Classroom: train a date normaliser live and watch attention sharpen; lessons",
        icon=":material/school:",
    )
    st.page_link(
        "pages/tasks.py",
        label="Tasks: what a sentiment classifier and a question-answering memory attend to",
        icon=":material/quiz:",
    )
    st.subheader("Models")
    for entry in list_models():
        st.markdown(
            f"- **{entry.name}**: {entry.description} ({', '.join(entry.kinds) or 'no attention'})"
        )
    st.caption("Everything runs on this computer; no model or text leaves it.")


require_navigation()
main()

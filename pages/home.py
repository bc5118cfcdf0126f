"""The landing page: what attnviz shows and where to start."""

import streamlit as st

from attnviz.ui.kinds import kinds_glossary
from attnviz.ui.navigation import require_navigation
from attnviz.ui.widgets import FOLDER_CHOICE, model_lines

HOW_TO = (
    "1. **Pick a page** below or in the sidebar: *Translate* is the gentlest start.",
    "2. **Type a sentence** in its text box, or pick one of its examples.",
    "3. **Pick a layer and a head** (Translate's RNN translators have only one).",
    "4. **Hover** over a cell to read its query token, key token and weight; on *Translate*, "
    "click a row to open that decoder step.",
    "5. **Share** what you see: the page's URL (or *Copy link to this view*) reproduces it; "
    "*Presentation mode* in the sidebar enlarges everything for a projector.",
)
OWN_MODEL = (
    "attnviz downloads nothing: its models are the weights it ships (listed above) or a "
    f"Hugging Face model folder on this computer. To open a folder, choose **{FOLDER_CHOICE}** "
    "in the Model list of *Heads*, *Compare* or *Generate* and type its path: it needs "
    "`config.json`, `*.safetensors` weights and the tokenizer files. A Hugging Face name "
    "(org/name) opens the same way once that model is in the local Hugging Face cache."
)


def main() -> None:
    st.title("attnviz")
    st.markdown(
        "See what neural networks attend to. Type a sentence, pick a model, a layer and a head, "
        "and read the attention weights the model really computed: every row of a map is one "
        "query token's attention over the key tokens, and sums to 1."
    )
    st.subheader("How to use it")
    st.markdown("\n".join(HOW_TO))
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
    st.page_link(
        "pages/generate.py",
        label="Generate: a small language model writes; see what each new word attended to",
        icon=":material/edit_note:",
    )
    st.subheader("Models")
    st.markdown("\n".join(model_lines()))
    st.subheader("Your own model")
    st.markdown(OWN_MODEL)
    st.subheader("The kinds of attention")
    st.markdown("\n".join(f"- {line}" for line in kinds_glossary()))
    st.caption("Everything runs on this computer; no model or text leaves it.")


require_navigation()
main()

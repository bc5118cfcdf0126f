"""/tasks: sentiment analysis and question answering, and what their models attend to."""

from __future__ import annotations

import streamlit as st

from attnviz.models.registry import REGISTRY
from attnviz.ui import tasks as sections
from attnviz.ui.cache import get_model
from attnviz.ui.controls import keep_in_range
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.safe_text import show_info
from attnviz.ui.url import page_params, read_choice, read_int, write_params

KEY = "tasks"
SENTIMENT = "Sentiment analysis"
QA = "Question answering"
SENTIMENT_MODELS = tuple(name for name in sections.SENTIMENT_MODELS if name in REGISTRY)
MODELS = (*SENTIMENT_MODELS, sections.QA_MODEL)
REVIEW_EXAMPLES = (
    "The food was delicious and the staff were friendly.",
    "The movie was boring and far too long.",
    "I expected to hate it, but the acting was wonderful.",
    "Not bad at all, though the ending drags.",
    "The charger stopped working after a week.",
    "A moving, funny and beautifully acted film.",
)
STORY_EXAMPLES = (
    "Mary moved to the bathroom. John went to the hallway. Mary travelled to the office. "
    "Where is Mary?",
    "John went to the kitchen. John picked up the milk. Sandra moved to the garden. "
    "John travelled to the office. Where is the milk?",
    "Daniel journeyed to the bedroom. Sandra went back to the kitchen. Daniel moved to the "
    "garden. Is Daniel in the bedroom?",
    "Sandra went to the hallway. Then she journeyed to the bathroom. Where is Sandra?",
    "Mary and Daniel went to the kitchen. Daniel moved to the office. Where is Mary?",
)
MAX_CHARS = 2_000


def state(name: str) -> str:
    return f"{KEY}.{name}"


def read_url_once() -> None:
    """On a session's first visit, put the URL's model, text, layer and head into the widgets."""
    params = page_params(KEY, state("task"))
    if params is None:
        return
    model, model_note = read_choice(params, "model", MODELS, MODELS[0])
    qa = model == sections.QA_MODEL
    st.session_state[state("task")] = QA if qa else SENTIMENT
    if not qa:
        st.session_state[state("model")] = model
    text = (params.get("text") or "")[:MAX_CHARS]
    default = STORY_EXAMPLES[0] if qa else REVIEW_EXAMPLES[0]
    st.session_state[state("story" if qa else "review")] = text if text.strip() else default
    st.session_state[state("pending")] = {"layer": params.get("layer"), "head": params.get("head")}
    st.session_state[state("notices")] = [note for note in (model_note,) if note]


def use_example(source: str, target: str) -> None:
    """Callback: copy the chosen example into the text box."""
    st.session_state[state(target)] = st.session_state[state(source)]


def layer_head_controls(model: str) -> tuple[int, int]:
    """Layer and head of MiniLM's [CLS] row; applies the URL's values once."""
    info = get_model(model).info
    layers, heads = range(info.layers["encoder_self"]), range(info.heads["encoder_self"])
    pending = st.session_state.pop(state("pending"), None) or {}
    for name, count in (("layer", len(layers)), ("head", len(heads))):
        if pending.get(name) is not None:
            st.session_state[state(name)], note = read_int(pending, name, count)
            if note:
                show_info(note)
    keep_in_range(state("layer"), tuple(layers), len(layers) - 1)
    keep_in_range(state("head"), tuple(heads), 0)
    left, right = st.columns(2)
    layer = left.selectbox("Layer", tuple(layers), key=state("layer"))
    head = right.selectbox("Head", tuple(heads), key=state("head"))
    return int(layer), int(head)


def sentiment_view() -> dict[str, object]:
    """A review in, its sentiment and the words the model weighed out; returns the URL state."""
    st.markdown(sections.SENTIMENT_INTRODUCTION)
    keep_in_range(state("model"), SENTIMENT_MODELS, SENTIMENT_MODELS[0])
    columns = st.columns([2, 3])
    model = columns[0].selectbox("Model", SENTIMENT_MODELS, key=state("model"))
    columns[1].selectbox(
        "Examples",
        REVIEW_EXAMPLES,
        key=state("review_example"),
        index=None,
        placeholder="Try an example review",
        on_change=use_example,
        args=("review_example", "review"),
    )
    st.session_state.setdefault(state("review"), REVIEW_EXAMPLES[0])
    text = st.text_area("A review", key=state("review"), height=80, max_chars=MAX_CHARS)
    values: dict[str, object] = {"model": model, "text": text}
    if not text.strip():
        st.warning("The text is empty; type a review.")
        return values
    layer = head = None
    if model == "sentiment-minilm":
        layer, head = layer_head_controls(model)
        values.update(layer=layer, head=head)
    run = sections.run_or_error(model, text)
    if run is None:
        return values
    sections.show_notes(run)
    sections.show_prediction(run, "Sentiment")
    if model == "sentiment-minilm":
        sections.minilm_view(run, int(layer), int(head), state("minilm"))
    else:
        sections.pooling_view(run, state("bigru"))
    sections.show_probabilities(run, state("probabilities"), "Class probabilities")
    return values


def qa_view() -> dict[str, object]:
    """A story and a question in, the answer and the hops over the sentences out."""
    st.markdown(sections.QA_INTRODUCTION)
    st.selectbox(
        "Examples",
        STORY_EXAMPLES,
        key=state("story_example"),
        index=None,
        placeholder="Try an example story",
        on_change=use_example,
        args=("story_example", "story"),
    )
    st.session_state.setdefault(state("story"), STORY_EXAMPLES[0])
    text = st.text_area(
        "A story, one sentence per fact, then a question ending in '?'",
        key=state("story"),
        height=120,
        max_chars=MAX_CHARS,
    )
    values: dict[str, object] = {"model": sections.QA_MODEL, "text": text}
    if not text.strip():
        st.warning("The text is empty; type a story and a question.")
        return values
    run = sections.run_or_error(sections.QA_MODEL, text)
    if run is None:
        return values
    sections.show_notes(run)
    sections.show_prediction(run, "Answer")
    sections.memory_view(run, state("qa"))
    sections.show_probabilities(run, state("answers"), "Answer probabilities")
    return values


def main() -> None:
    st.title("Tasks")
    copy_link_button()
    read_url_once()
    for notice in st.session_state.pop(state("notices"), []):
        show_info(notice)
    task = st.radio("Task", (SENTIMENT, QA), key=state("task"), horizontal=True)
    values = qa_view() if task == QA else sentiment_view()
    write_params({**values, **presentation_params()}, KEY)


require_navigation()
main()

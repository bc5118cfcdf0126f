"""/heads: one head of a Transformer as a heatmap, beside all heads of its layer."""

from __future__ import annotations

import dataclasses
import logging

import streamlit as st

from attnviz.figures import head_heatmap, layer_small_multiples
from attnviz.models.base import ModelInfo
from attnviz.models.hf import check_folder
from attnviz.models.registry import DEFAULT_MODEL, REGISTRY
from attnviz.ui.cache import get_model, get_run
from attnviz.ui.navigation import require_navigation
from attnviz.ui.url import read_choice, read_int, write_params
from attnviz.ui.widgets import FOLDER_CHOICE, model_picker, show_notices

LOG = logging.getLogger(__name__)
DEFAULT_TEXT = "The animal didn't cross the street because it was too tired."
KEY = "heads"


@dataclasses.dataclass(frozen=True)
class HeadsChoice:
    """What the controls chose."""

    model: str
    text: str
    kind: str
    layer: int
    head: int


def state(name: str) -> str:
    return f"{KEY}.{name}"


def read_url_once() -> None:
    """On a session's first visit, put the URL's model and text into the widgets' state."""
    if st.session_state.get(state("url_read")):
        return
    params = st.query_params
    notices = []
    model = params.get("model", DEFAULT_MODEL)
    choice, folder = model, ""
    if model not in REGISTRY:
        try:
            check_folder(model)
            choice, folder = FOLDER_CHOICE, model
        except ValueError as error:
            notices.append(f"Model {model!r} cannot be opened ({error}); showing {DEFAULT_MODEL}.")
            choice = DEFAULT_MODEL
    text = params.get("text", "")[:20_000]
    st.session_state[state("model.choice")] = choice
    st.session_state[state("model.folder")] = folder
    st.session_state[state("text")] = text if text.strip() else DEFAULT_TEXT
    # Kind, layer and head are checked once the model (and so its shape) is known.
    st.session_state[state("pending")] = {k: params.get(k) for k in ("kind", "layer", "head")}
    st.session_state[state("notices")] = notices
    st.session_state[state("url_read")] = True


def apply_pending_url(info: ModelInfo) -> None:
    """Validate the URL's kind, layer and head against the loaded model."""
    pending = st.session_state.pop(state("pending"), None)
    if pending is None:
        return
    params = {name: value for name, value in pending.items() if value is not None}
    kind, kind_note = read_choice(params, "kind", info.kinds, info.kinds[0])
    layer, layer_note = read_int(params, "layer", info.layers[kind])
    head, head_note = read_int(params, "head", info.heads[kind])
    st.session_state[state("kind")] = kind
    st.session_state[state("layer")] = layer
    st.session_state[state("head")] = head
    show_notices(note for note in (kind_note, layer_note, head_note) if note)


def keep_in_range(name: str, options: tuple, default: object) -> None:
    """Reset a widget's value that the current model does not offer (another model's layer)."""
    if st.session_state.get(state(name)) not in options:
        st.session_state[state(name)] = default


def heads_controls() -> HeadsChoice | None:
    """Text, model, kind, layer and head; None (with a message shown) if the model fails."""
    with st.sidebar:
        model = model_picker(state("model"))
    text = st.text_area("Text", key=state("text"), height=80, max_chars=20_000)
    if not model:
        st.warning("Type the path of a model folder in the sidebar.")
        return None
    try:
        info = get_model(model).info
    except ValueError as error:
        st.error(str(error))
        return None
    apply_pending_url(info)
    keep_in_range("kind", info.kinds, info.kinds[0])
    columns = st.columns([1, 1, 2])
    with columns[2]:
        if len(info.kinds) > 1:
            kind = st.selectbox("Kind of attention", info.kinds, key=state("kind"))
        else:
            kind = info.kinds[0]
    layers, heads = tuple(range(info.layers[kind])), tuple(range(info.heads[kind]))
    keep_in_range("layer", layers, 0)
    keep_in_range("head", heads, 0)
    with columns[0]:
        layer = st.selectbox("Layer", layers, key=state("layer"))
    with columns[1]:
        head = st.selectbox("Head", heads, key=state("head"))
    return HeadsChoice(model, text, kind, int(layer), int(head))


def select_head_from_grid() -> None:
    """Callback: a click on a small multiple selects that head."""
    event = st.session_state.get(state("grid"))
    points = event.selection.points if event else []
    if points:
        head = points[0].get("customdata")
        head = head[0] if isinstance(head, list) else head
        st.session_state[state("head")] = int(head)


def show_heads(choice: HeadsChoice) -> None:
    """The chosen head's heatmap and the layer's small multiples."""
    try:
        run = get_run(choice.model, choice.text)
    except ValueError as error:
        st.error(str(error))
        return
    except Exception as error:  # a model failing must not end the session in a traceback
        LOG.exception("running %s failed", choice.model)
        st.error(f"The model could not run on this text ({type(error).__name__}: {error}).")
        return
    show_notices(run.notes)
    maps = run.maps[choice.kind]
    title = f"{choice.kind} · layer {choice.layer} · head {choice.head}"
    main, side = st.columns([3, 2])
    with main:
        figure = head_heatmap(
            maps.head(choice.layer, choice.head),
            maps.query_tokens,
            maps.key_tokens,
            title,
            maps.visible,
        )
        st.plotly_chart(figure, key=state("main"), config={"displaylogo": False})
    with side:
        st.caption(f"All heads of layer {choice.layer}, colour 0 to 1. Click a head to open it.")
        grid = layer_small_multiples(maps.layer(choice.layer), choice.head, maps.visible)
        st.plotly_chart(
            grid,
            key=state("grid"),
            on_select=select_head_from_grid,
            selection_mode="points",
            config={"displayModeBar": False},
        )
    if run.output_text is not None:
        st.markdown(f"**Output:** {run.output_text}")


require_navigation()
st.title("Heads")
st.caption("Pick a layer and a head and see which tokens each token attends to.")
read_url_once()
show_notices(st.session_state.pop(state("notices"), []))
choice = heads_controls()
if choice is not None:
    write_params(dataclasses.asdict(choice))
    if choice.text.strip():
        show_heads(choice)
    else:
        st.warning("The text is empty; type at least one word.")

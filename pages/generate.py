"""/generate: a language model's next-token distribution, sampling, and its causal map growing."""

from __future__ import annotations

import streamlit as st

from attnviz.models import sampling
from attnviz.ui import generate as sections
from attnviz.ui.cache import get_model, get_run
from attnviz.ui.controls import keep_in_range, load_info, model_from_url
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.safe_text import escape_markdown, show_error, show_info
from attnviz.ui.url import page_params, read_int, write_params
from attnviz.ui.widgets import FOLDER_CHOICE

KEY = "generate"
MODEL = "gpt-austen"
DEFAULT_TEXT = "It was a fine morning, and Elizabeth"
MAX_CHARS = 2_000
TEMPERATURES = (0.0, 2.0)
MAX_TOP_K = sampling.TOP_LOGITS
CONTINUE_TOKENS = 20


def state(name: str) -> str:
    return f"{KEY}.{name}"


def read_float(params, name: str, low: float, high: float, default: float):
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        return default, f"{name} must be a number from {low:g} to {high:g}; using {default:g}."
    return value, None


def read_url_once() -> None:
    """On a session's first visit, put the URL's values into the widgets."""
    params = page_params(KEY, state("text"))
    if params is None:
        return
    choice, folder, model_note = model_from_url(params.get("model"), MODEL)
    st.session_state[state("model.choice")] = choice if choice in (MODEL, FOLDER_CHOICE) else MODEL
    st.session_state[state("model.folder")] = folder
    text = (params.get("text") or "")[:MAX_CHARS]
    st.session_state[state("text")] = text if text.strip() else DEFAULT_TEXT
    temperature, t_note = read_float(params, "temperature", *TEMPERATURES, 1.0)
    top_k, k_note = read_int(params, "top_k", MAX_TOP_K + 1, 0)
    seed, s_note = read_int(params, "seed", 10**6, 0)
    st.session_state[state("temperature")] = round(temperature, 2)
    st.session_state[state("top_k")] = top_k
    st.session_state[state("seed")] = seed
    st.session_state[state("pending")] = {"layer": params.get("layer"), "head": params.get("head")}
    st.session_state[state("notices")] = [n for n in (model_note, t_note, k_note, s_note) if n]


def model_controls() -> str:
    """gpt-austen, or a decoder-only model folder on disk."""
    choice = st.selectbox("Model", (MODEL, FOLDER_CHOICE), key=state("model.choice"))
    if choice == MODEL:
        return MODEL
    return st.text_input(
        "Model folder",
        key=state("model.folder"),
        placeholder="a decoder-only Hugging Face folder (GPT-2-like), safetensors only",
    ).strip()


def sampling_controls() -> tuple[float, int, int]:
    """Temperature, top-k and seed."""
    columns = st.columns(3)
    temperature = columns[0].slider(
        "Temperature", *TEMPERATURES, step=0.05, key=state("temperature"),
        help="0 always takes the most probable token (greedy).",
    )  # fmt: skip
    top_k = columns[1].slider(
        "Top-k", 0, MAX_TOP_K, key=state("top_k"), help="0 keeps all the tokens shown."
    )
    seed = columns[2].number_input("Seed", 0, 10**6 - 1, step=1, key=state("seed"))
    return float(temperature), int(top_k), int(seed)


def layer_head(info) -> tuple[int, int]:
    """Layer and head of the causal map; the URL's values once."""
    layers, heads = info.layers["decoder_self"], info.heads["decoder_self"]
    pending = st.session_state.pop(state("pending"), None) or {}
    for name, count in (("layer", layers), ("head", heads)):
        if pending.get(name) is not None:
            st.session_state[state(name)], note = read_int(pending, name, count)
            if note:
                show_info(note)
    keep_in_range(state("layer"), tuple(range(layers)), 0)
    keep_in_range(state("head"), tuple(range(heads)), 0)
    left, right = st.columns(2)
    layer = left.selectbox("Layer", tuple(range(layers)), key=state("layer"))
    head = right.selectbox("Head", tuple(range(heads)), key=state("head"))
    return int(layer), int(head)


def append_token(model: str, text: str, token_id: int) -> None:
    """Callback of Next: the text with one more token."""
    st.session_state[state("text")] = get_model(model).append(text, token_id)[:MAX_CHARS]


def continue_text(model: str, text: str, temperature: float, top_k: int, seed: int) -> None:
    """Callback: the model's own sampler adds CONTINUE_TOKENS tokens."""
    try:
        run = get_model(model).generate_text(text, CONTINUE_TOKENS, temperature, top_k, seed)
    except ValueError as error:
        st.session_state[state("notices")] = [str(error)]
        return
    st.session_state[state("text")] = run.text[:MAX_CHARS]


def main() -> None:
    st.title("Generate")
    copy_link_button()
    read_url_once()
    for notice in st.session_state.pop(state("notices"), []):
        show_info(notice)
    st.markdown(sections.INTRODUCTION)
    model = model_controls()
    st.session_state.setdefault(state("text"), DEFAULT_TEXT)
    text = st.text_area("Prompt", key=state("text"), height=90, max_chars=MAX_CHARS)
    temperature, top_k, seed = sampling_controls()
    values: dict[str, object] = {
        "model": model, "text": text, "temperature": temperature, "top_k": top_k, "seed": seed,
    }  # fmt: skip
    info = load_info(model)
    if info is None or not text.strip():
        if info is not None:
            st.warning("The prompt is empty; type a few words.")
        write_params({**values, **presentation_params()}, KEY)
        return
    if "decoder_self" not in info.layers or not callable(getattr(get_model(model), "append", None)):
        show_error(
            f"{model} is not a causal language model; pick gpt-austen or a GPT-2-like folder."
        )
        write_params({**values, **presentation_params()}, KEY)
        return
    try:
        run = get_run(model, text)
    except ValueError as error:
        show_error(str(error))
        return
    for note in run.notes:
        show_info(note)
    pick = sections.next_token_section(run, temperature, top_k, seed, KEY)
    if pick is not None:
        sections.show_pick(pick)
        left, right = st.columns(2)
        left.button(
            f"Next: append “{escape_markdown(pick.token)}”",
            key=state("next"), type="primary", on_click=append_token,
            args=(model, run.text, pick.token_id),
        )  # fmt: skip
        right.button(
            f"Continue {CONTINUE_TOKENS} tokens", key=state("continue"), on_click=continue_text,
            args=(model, run.text, temperature, top_k, seed),
        )  # fmt: skip
    layer, head = layer_head(info)
    values.update(layer=layer, head=head)
    map_tab, heads_tab = st.tabs(["Causal map", "All heads"])
    with map_tab:
        sections.causal_map_section(run, layer, head, KEY)
    with heads_tab:
        sections.all_heads_section(run, layer, head, KEY)
    write_params({**values, **presentation_params()}, KEY)


require_navigation()
main()

"""Controls shared by pages: model from the URL, kind/layer/head pickers, state hygiene."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from attnviz.models.base import ModelInfo, no_attention_sentence
from attnviz.models.folders import model_roots
from attnviz.models.hf import check_folder
from attnviz.models.registry import DEFAULT_MODEL, REGISTRY
from attnviz.ui.cache import get_model, model_key
from attnviz.ui.kinds import kind_caption
from attnviz.ui.safe_text import quoted, show_error, show_info, show_warning
from attnviz.ui.url import read_choice, read_int
from attnviz.ui.widgets import FOLDER_CHOICE, model_picker, show_notices


@dataclasses.dataclass(frozen=True)
class HeadChoice:
    """One head of one model on one text."""

    model: str
    text: str
    kind: str
    layer: int
    head: int


def model_from_url(raw: str | None, default: str = DEFAULT_MODEL) -> tuple[str, str, str | None]:
    """(selectbox choice, folder path, notice) for a URL's model value (name or folder)."""
    if not raw:
        return default, "", None
    if raw in REGISTRY:
        return raw, "", None
    try:
        key = model_key(raw)  # the folder policy first: a refusal says nothing more
        check_folder(cached_snapshot(key) or key)
    except ValueError as error:
        unavailable = unavailable_model_message(raw)
        if unavailable:
            return default, "", f"{unavailable} Showing {default}."
        reason = str(error)
        if not reason.startswith("Model "):
            reason = f"Model {quoted(raw)} cannot be opened ({reason.rstrip('.')})"
        return default, "", f"{reason.rstrip('.')}; showing {default}."
    return FOLDER_CHOICE, raw, None


def cached_snapshot(name: str) -> str | None:
    """The local Hugging Face cache's folder for an "org/name" (or legacy "name"), if any."""
    from attnviz.models import hub_cache

    try:
        folder = hub_cache.snapshot_folder(name)
    except (OSError, ValueError):
        return None
    return str(folder) if folder is not None else None


def unavailable_model_message(name: str) -> str | None:
    """Where models come from, for a name shaped like a Hugging Face name ("bert-base-uncased",
    "org/name") that is neither shipped, nor a folder here, nor in the local Hugging Face
    cache: typed as if attnviz would fetch it.

    None for anything else (a path, odd text), whose own reason is more precise; and on a
    server with a folder policy, whose refusal must say nothing more (`models.folders`).
    """
    from attnviz.models.hub_cache import is_hub_name

    name = name.strip()
    if name in REGISTRY or not is_hub_name(name) or model_roots() is not None:
        return None
    if Path(name).exists() or cached_snapshot(name):
        return None
    return (
        f"Model {quoted(name)} cannot be opened: attnviz downloads nothing, its models come "
        "only from the weights it ships or from a folder on this computer. Shipped: "
        f"{', '.join(REGISTRY)}. For your own model, choose “{FOLDER_CHOICE}” and type the "
        "path of a Hugging Face model folder (config.json, *.safetensors and tokenizer files); "
        "an org/name works once that model is in the local Hugging Face cache (the README "
        "says how to download one deliberately)."
    )


def keep_in_range(key: str, options: tuple, default: object) -> None:
    """Reset a widget's value that is not offered now (another model's layer, an old token)."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = default


def apply_head_params(
    prefix: str,
    params: Mapping[str, str | None],
    info: ModelInfo,
    defaults: Mapping[str, object] | None = None,
) -> None:
    """Validate URL kind/layer/head for `info` and put them into `prefix`'s widget state.

    defaults: what to show where the URL has no value of its own (another side's kind, layer
    and next head); one that does not fit this model is replaced quietly by the first kind or
    by 0, since the user never asked for it. Only the URL's own values get a notice.
    """
    present = {name: value for name, value in params.items() if value is not None}
    defaults = defaults or {}
    kind_default = defaults.get("kind") if defaults.get("kind") in info.kinds else info.kinds[0]
    kind, kind_note = read_choice(present, "kind", info.kinds, str(kind_default))
    layer, layer_note = read_int(
        present, "layer", info.layers[kind], fitting(defaults.get("layer"), info.layers[kind])
    )
    head, head_note = read_int(
        present, "head", info.heads[kind], fitting(defaults.get("head"), info.heads[kind])
    )
    st.session_state[f"{prefix}.kind"] = kind
    st.session_state[f"{prefix}.layer"] = layer
    st.session_state[f"{prefix}.head"] = head
    show_notices(note for note in (kind_note, layer_note, head_note) if note)


def fitting(value: object, count: int) -> int:
    """`value` if it is an index in 0..count-1, else 0."""
    return value if isinstance(value, int) and 0 <= value < count else 0


def load_info(model: str) -> ModelInfo | None:
    """The model's info, or None with the reason shown."""
    if not model:
        show_warning("Type the path of a model folder.")
        return None
    try:
        info = get_model(model).info
    except ValueError as error:
        show_error(unavailable_model_message(model) or str(error))
        return None
    if not info.kinds:  # rnnenc-en-es: say why instead of drawing nothing
        show_info(no_attention_sentence(info.name))
        return None
    return info


def kind_layer_head(
    prefix: str, info: ModelInfo, kind_label: str = "Kind of attention", show_head: bool = True
):
    """Kind (if the model has several), layer and head pickers; returns (kind, layer, head).

    show_head: False for a view that uses no single head (a mean over the layer's heads): the
    head picker is not drawn, and the head chosen before is kept for the views that use it.
    """
    keep_in_range(f"{prefix}.kind", info.kinds, info.kinds[0])
    columns = st.columns([1, 1, 2])
    with columns[2]:
        if len(info.kinds) > 1:
            kind = st.selectbox(kind_label, info.kinds, key=f"{prefix}.kind")
        else:
            kind = info.kinds[0]
    layers, heads = tuple(range(info.layers[kind])), tuple(range(info.heads[kind]))
    keep_in_range(f"{prefix}.layer", layers, 0)
    keep_in_range(f"{prefix}.head", heads, 0)
    with columns[0]:
        layer = st.selectbox("Layer", layers, key=f"{prefix}.layer")
    if show_head:
        with columns[1]:
            head = st.selectbox("Head", heads, key=f"{prefix}.head")
    else:
        # Set from the script, the value outlives this run although no widget draws it.
        head = st.session_state[f"{prefix}.head"] = st.session_state[f"{prefix}.head"]
    st.caption(kind_caption(kind, info.kinds))
    return kind, int(layer), int(head)


def side_controls(
    prefix: str, pending: dict | None, defaults: Mapping[str, object] | None = None
) -> HeadChoice | None:
    """Model, text, kind, layer and head for one side of a view; None if the model fails.

    pending: the URL's kind/layer/head to apply now (a session's first visit), with `defaults`
    for those it leaves out (see `apply_head_params`).
    """
    model = model_picker(f"{prefix}.model")
    text = st.text_area("Text", key=f"{prefix}.text", height=80, max_chars=20_000)
    info = load_info(model)
    if info is None:
        return None
    if pending is not None:
        apply_head_params(prefix, pending, info, defaults)
    kind, layer, head = kind_layer_head(prefix, info)
    return HeadChoice(model, text, kind, layer, head)

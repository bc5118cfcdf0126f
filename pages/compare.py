"""/compare: two heads side by side, their difference, how alike all heads are, heads off."""

from __future__ import annotations

import streamlit as st

from attnviz.models.ablation import Heads, check_heads, format_heads, parse_heads
from attnviz.models.registry import REGISTRY
from attnviz.ui import compare
from attnviz.ui.cache import get_model
from attnviz.ui.controls import HeadChoice, model_from_url, side_controls
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.safe_text import escape_markdown, quoted, show_error, show_info
from attnviz.ui.url import page_params, read_flag, url_value, write_params
from attnviz.ui.widgets import clicked_key, show_notices

KEY = "compare"
DEFAULT_TEXTS = (
    "The animal didn't cross the street because it was too tired.",
    "The trophy didn't fit in the suitcase because it was too big.",
)
# URL names of side B's values (side A uses the plain names, as on /heads)
SECOND = {"model": "model2", "text": "text2", "kind": "kind2", "layer": "layer2", "head": "head2"}
PRESETS = {
    "heads": "Two heads of one layer",
    "sentences": "One head, two sentences",
    "layers": "Same head, two layers",
    "models": "Two models, one text",
}


def side_key(side: str) -> str:
    return f"{KEY}.{side}"


def read_url_once() -> None:
    """On a session's first visit, put both sides' URL values into the widgets' state."""
    params = page_params(KEY, f"{side_key('a')}.text")
    if params is None:
        return
    notices = []
    for side, names in (("a", {k: k for k in SECOND}), ("b", SECOND)):
        fallback = params.get("model") if side == "b" else None
        choice, folder, note = model_from_url(params.get(names["model"]) or fallback)
        notices.append(note)
        st.session_state[f"{side_key(side)}.model.choice"] = choice
        st.session_state[f"{side_key(side)}.model.folder"] = folder
        raw_text = (params.get(names["text"]) or "")[:20_000]
        if side == "b" and not raw_text.strip():
            raw_text = st.session_state[f"{side_key('a')}.text"]  # B defaults to A's text
        st.session_state[f"{side_key(side)}.text"] = (
            raw_text if raw_text.strip() else DEFAULT_TEXTS[0]
        )
        # B's own values only: what B shows without them comes from side A (`defaults_from`)
        pending = {name: params.get(names[name]) for name in ("kind", "layer", "head")}
        st.session_state[f"{side_key(side)}.pending"] = pending
    st.session_state[f"{KEY}.words"], note = read_flag(params, "words", False)
    notices.append(note)
    st.session_state[f"{KEY}.off"] = params.get("off", "")
    st.session_state[f"{KEY}.notices"] = [note for note in notices if note]


def set_side_b(**values: object) -> None:
    """Put values into side B's widgets (called from callbacks, before widgets exist)."""
    for name, value in values.items():
        st.session_state[f"{side_key('b')}.{name}"] = value


def apply_preset(preset: str) -> None:
    """Callback: set side B up for one of the common comparisons against side A."""
    a = {
        name: st.session_state.get(f"{side_key('a')}.{name}") for name in ("kind", "layer", "head")
    }
    state = st.session_state
    set_side_b(**{"model.choice": state[f"{side_key('a')}.model.choice"]})
    set_side_b(**{"model.folder": state[f"{side_key('a')}.model.folder"]})
    set_side_b(text=state[f"{side_key('a')}.text"], **a)
    model = state[f"{side_key('a')}.model.folder"] or state[f"{side_key('a')}.model.choice"]
    info = get_model(model).info
    if preset == "heads":
        set_side_b(head=(a["head"] + 1) % info.heads[a["kind"]])
    elif preset == "layers":
        set_side_b(layer=(a["layer"] + 1) % info.layers[a["kind"]])
    elif preset == "sentences":
        texts = [t for t in DEFAULT_TEXTS if t != state[f"{side_key('a')}.text"]]
        set_side_b(text=texts[0])
    else:
        others = [name for name in REGISTRY if name != model and a["kind"] in REGISTRY[name].kinds]
        if others:
            set_side_b(**{"model.choice": others[0], "model.folder": ""}, layer=0, head=0)
        else:
            st.session_state[f"{KEY}.notices"] = [f"No other model here has {a['kind']}."]


def open_pair() -> None:
    """Callback: a click on the head-distance matrix opens that pair side by side."""
    key = clicked_key(f"{KEY}.similarity")
    if key is None:
        return
    state = st.session_state
    model = state[f"{side_key('a')}.model.folder"] or state[f"{side_key('a')}.model.choice"]
    n_heads = get_model(model).info.heads[state[f"{side_key('a')}.kind"]]
    (layer_a, head_a), (layer_b, head_b) = divmod(key[0], n_heads), divmod(key[1], n_heads)
    state[f"{side_key('a')}.layer"], state[f"{side_key('a')}.head"] = layer_a, head_a
    set_side_b(
        **{"model.choice": state[f"{side_key('a')}.model.choice"]},
        **{"model.folder": state[f"{side_key('a')}.model.folder"]},
        text=state[f"{side_key('a')}.text"],
        kind=state[f"{side_key('a')}.kind"],
        layer=layer_b,
        head=head_b,
    )


def defaults_from(a: HeadChoice | None) -> dict[str, object]:
    """What side B shows where the URL gives no value of its own: A's kind and layer, and the
    next head (a value that does not fit B's model is replaced quietly)."""
    if a is None:
        return {"head": 1}
    return {"kind": a.kind, "layer": a.layer, "head": a.head + 1}


def preset_buttons(a: HeadChoice | None) -> None:
    """One button per set-up; one that needs a second head or layer that side A's model does
    not have is off, and the page says why."""
    missing = {}  # preset -> what side A's model lacks for it
    if a is not None:
        info = get_model(a.model).info
        if info.heads[a.kind] < 2:
            missing["heads"] = "second head"
        if info.layers[a.kind] < 2:
            missing["layers"] = "second layer"
    columns = st.columns(len(PRESETS))
    for column, (preset, label) in zip(columns, PRESETS.items(), strict=True):
        why_not = "Choose a model for side A first." if a is None else None
        if preset in missing:
            why_not = f"{a.model} has no {missing[preset]} of {a.kind} attention."
        column.button(
            label,
            on_click=apply_preset,
            args=(preset,),
            use_container_width=True,
            disabled=why_not is not None,
            help=escape_markdown(why_not) if why_not else None,
        )
    if missing:
        st.caption(
            escape_markdown(
                f"{a.model} has no {' and no '.join(missing.values())} of {a.kind} attention, "
                "so the set-ups that need one are off."
            )
        )


def ablation_controls(a: HeadChoice) -> Heads:
    """Which of side A's heads to switch off; invalid URL values fall back with a notice."""
    info = get_model(a.model).info
    if not getattr(get_model(a.model), "switchable", {}).get(a.kind):
        # An RNN's one alignment: said before anyone picks a head, not after
        st.session_state.pop(f"{KEY}.off", None)
        show_info(f"{a.model} cannot switch its {a.kind} heads off.")
        return ()
    options = [
        f"{layer}.{head}"
        for layer in range(info.layers[a.kind])
        for head in range(info.heads[a.kind])
    ]
    raw = st.session_state.pop(f"{KEY}.off", None)
    if raw is not None:
        chosen = [part for part in raw.split(",") if part]
        bad = [part for part in chosen if part not in options]
        if bad:
            listed = ", ".join(bad)
            listed = listed if len(listed) <= 80 else quoted(listed)
            show_notices([f"Heads {listed} do not exist in {a.model}; they were left out."])
        st.session_state[f"{KEY}.off_select"] = [part for part in chosen if part in options]
    st.session_state[f"{KEY}.off_select"] = [
        part for part in st.session_state.get(f"{KEY}.off_select", []) if part in options
    ]
    selected = st.multiselect(
        f"Heads of side A to switch off (layer.head, {a.kind})",
        options,
        key=f"{KEY}.off_select",
        placeholder="Choose heads to switch off",
    )
    heads = parse_heads(",".join(selected), a.kind)
    model = get_model(a.model)
    try:
        return check_heads(heads, getattr(model, "switchable", {}), info.heads)
    except ValueError as error:
        show_info(f"{error} Switching heads off is not available for this model.")
        return ()


def url_state(a: HeadChoice, b: HeadChoice, off: Heads) -> dict[str, object]:
    values: dict[str, object] = {
        "model": a.model,
        "text": a.text,
        "kind": a.kind,
        "layer": a.layer,
        "head": a.head,
    }
    for name, url_name in SECOND.items():
        values[url_name] = getattr(b, name)
    if st.session_state.get(f"{KEY}.words"):
        values["words"] = url_value(True)
    if off:
        values["off"] = format_heads(off)
    return values | presentation_params()


def main() -> None:
    st.title("Compare")
    st.caption("Two heads side by side on one colour scale, and what separates them.")
    copy_link_button()
    read_url_once()
    show_notices(st.session_state.pop(f"{KEY}.notices", []))
    presets = st.container()  # drawn once side A's model is known: it decides what is offered
    columns = st.columns(2)
    a = b = None
    for column, side in zip(columns, "ab", strict=True):
        with column:
            st.subheader(f"Side {side.upper()}")
            pending = st.session_state.pop(f"{side_key(side)}.pending", None)
            defaults = defaults_from(a) if side == "b" else None
            choice = side_controls(side_key(side), pending, defaults)
            a, b = (choice, b) if side == "a" else (a, choice)
    with presets:
        preset_buttons(a)
    if a is None or b is None:
        return
    if not a.text.strip() or not b.text.strip():
        st.warning("The text is empty; type at least one word on both sides.")
        return
    words = st.toggle(
        "Compare words (leave out special tokens, merge word pieces, on both sides)",
        key=f"{KEY}.words",
        help="Special tokens such as [CLS], [SEP] and [EOS] are left out and each row "
        "renormalised; a word's key pieces are summed and its query pieces averaged. Two "
        "tokenizers of the same text then line up word by word.",
    )
    try:
        map_a, map_b = compare.head_map(a, words), compare.head_map(b, words)
    except ValueError as error:
        show_error(str(error))
        write_params(url_state(a, b, ()), KEY)
        return
    if words:
        st.caption(compare.WORDS_NOTE)
    compare.show_pair(a, b, map_a, map_b)
    st.subheader("Difference")
    compare.show_difference(a, b, map_a, map_b, words)
    st.subheader("How alike are the heads?")
    compare.show_similarity(a, open_pair, f"{KEY}.similarity")
    st.subheader("Switch heads off")
    off = ablation_controls(a)
    if off:
        compare.show_ablation(a, off)
    write_params(url_state(a, b, off), KEY)


require_navigation()
main()

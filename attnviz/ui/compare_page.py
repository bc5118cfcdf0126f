"""/compare: its view state, its controls and callbacks (presets, a click on the head distances,
heads switched off); the figures are drawn by `attnviz.ui.compare`.

`CompareView` is the page's state between the URL and the widgets. Side A's widgets are keyed
"compare.a.<name>", side B's "compare.b.<name>"; in the URL side A has the plain names and side
B the same names ending in 2, as on /heads.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import streamlit as st

from attnviz.models.ablation import Heads, check_heads, format_heads, parse_heads
from attnviz.models.registry import DEFAULT_MODEL, REGISTRY
from attnviz.ui.cache import get_model
from attnviz.ui.clickable_chart import clicked_point
from attnviz.ui.controls import HeadChoice, model_from_url, side_controls
from attnviz.ui.safe_text import escape_markdown, quoted, show_info
from attnviz.ui.url import page_params, read_flag
from attnviz.ui.view_state import PageView, check_index
from attnviz.ui.widgets import FOLDER_CHOICE, show_notices

DEFAULT_TEXTS = (
    "The animal didn't cross the street because it was too tired.",
    "The trophy didn't fit in the suitcase because it was too big.",
)
MAX_CHARS = 20_000
SIDE_FIELDS = ("model", "text", "kind", "layer", "head")  # side B's end in 2
HEAD_FIELDS = ("kind", "layer", "head")  # read once the side's model is known
PRESETS = {
    "heads": "Two heads of one layer",
    "sentences": "One head, two sentences",
    "layers": "Same head, two layers",
    "models": "Two models, one text",
}


@dataclasses.dataclass(frozen=True)
class CompareView(PageView):
    """What /compare shows: two heads, whether words are compared, side A's heads switched off.

    In the URL under the field names, `words` as 1 when on and `off` ("layer.head,...") when
    any head is off. The kinds, layers and heads are None until the models are there to index.
    """

    PAGE = "compare"

    model: str = DEFAULT_MODEL  # side A: a registry name or a model folder on disk
    text: str = DEFAULT_TEXTS[0]
    kind: str | None = None
    layer: int | None = None
    head: int | None = None
    model2: str = DEFAULT_MODEL  # side B
    text2: str = DEFAULT_TEXTS[0]
    kind2: str | None = None
    layer2: int | None = None
    head2: int | None = None
    words: bool = False  # compare words: no special tokens, word pieces merged
    off: str = ""  # side A's heads switched off, as in the URL: "2.5,3.0"

    def __post_init__(self) -> None:
        for name in ("model", "text", "model2", "text2", "off"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be text, not {getattr(self, name)!r}.")
        for name in ("kind", "kind2"):
            if getattr(self, name) is not None and not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be text or None, not {getattr(self, name)!r}.")
        for name in ("layer", "head", "layer2", "head2"):
            check_index(name, getattr(self, name))
        if not isinstance(self.words, bool):
            raise ValueError(f"words must be True or False, not {self.words!r}.")

    @classmethod
    def key(cls, name: str) -> str:
        """The widget of field `name`: "compare.a.head", "compare.b.head" for head2,
        "compare.words", and "compare.off_select" for the heads switched off."""
        super().key(name)  # an unknown name is refused
        if name == "off":
            return f"{cls.PAGE}.off_select"
        base = name.removesuffix("2")
        if base in SIDE_FIELDS:
            return f"{cls.PAGE}.{'b' if name.endswith('2') else 'a'}.{base}"
        return f"{cls.PAGE}.{name}"

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> tuple[CompareView, list[str]]:
        """The view a URL asks for (kinds, layers, heads and `off` wait in `PendingCompare`),
        and a notice for each value replaced by its default. Side B shows side A's model and
        text where the URL has none of its own."""
        values: dict[str, object] = {}
        notices = []
        for suffix in ("", "2"):
            fallback = params.get("model") if suffix else None
            choice, folder, note = model_from_url(params.get(f"model{suffix}") or fallback)
            notices.append(note)
            values[f"model{suffix}"] = folder if choice == FOLDER_CHOICE else choice
            text = (params.get(f"text{suffix}") or "")[:MAX_CHARS]
            if suffix and not text.strip():
                text = values["text"]  # B defaults to A's text
            values[f"text{suffix}"] = text if text.strip() else DEFAULT_TEXTS[0]
        values["words"], note = read_flag(params, "words", False)
        notices.append(note)
        return cls(**values), [note for note in notices if note]

    @classmethod
    def of(cls, a: HeadChoice, b: HeadChoice, words: bool, off: Heads = ()) -> CompareView:
        """The view of two sides as the controls chose them."""
        sides = {f"{name}2": value for name, value in dataclasses.asdict(b).items()}
        return cls(**dataclasses.asdict(a), **sides, words=bool(words), off=format_heads(off))

    def to_url(self) -> dict[str, object]:
        url = {name: getattr(self, name) for name in SIDE_FIELDS}
        url |= {f"{name}2": getattr(self, f"{name}2") for name in SIDE_FIELDS}
        if self.words:
            url["words"] = True
        if self.off:
            url["off"] = self.off
        return {name: value for name, value in url.items() if value is not None}

    def into_widgets(self, skip: tuple[str, ...] = ()) -> None:
        for name in ("model", "model2"):
            model, key = getattr(self, name), self.key(name)
            folder = model not in REGISTRY
            st.session_state[f"{key}.choice"] = FOLDER_CHOICE if folder else model
            st.session_state[f"{key}.folder"] = model if folder else ""
        super().into_widgets(skip=(*skip, "model", "model2", "off"))


@dataclasses.dataclass(frozen=True)
class PendingCompare:
    """A URL's kinds, layers, heads and switched-off heads as written, until the models they
    index are known. Each side's three are applied together, once; B's own values only (what
    B shows without them comes from side A: `defaults_from`)."""

    a: Mapping[str, str | None]
    b: Mapping[str, str | None]
    off: str

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> PendingCompare:
        a = {name: params.get(name) for name in HEAD_FIELDS}
        b = {name: params.get(f"{name}2") for name in HEAD_FIELDS}
        return cls(a, b, params.get("off", ""))


PENDING = {side: CompareView.state_key(f"{side}.pending") for side in "ab"}
PENDING_OFF = CompareView.state_key("off.pending")
NOTICES = CompareView.state_key("notices")  # what a callback has to say on the next run
SIMILARITY = CompareView.state_key("similarity")


def side_prefix(side: str) -> str:
    """The widget prefix of side "a" or "b": "compare.a"."""
    return f"{CompareView.PAGE}.{side}"


def notices() -> list[str]:
    """This run's notices: the URL's replaced values on a first visit (whose pending kinds,
    layers, heads and switched-off heads are kept for the controls), a preset's complaint."""
    params = page_params(CompareView.PAGE, CompareView.key("text"))
    found = []
    if params is not None:
        view, found = CompareView.from_url(params)
        view.into_widgets()
        pending = PendingCompare.from_url(params)
        st.session_state[PENDING["a"]], st.session_state[PENDING["b"]] = pending.a, pending.b
        st.session_state[PENDING_OFF] = pending.off
    return found + st.session_state.pop(NOTICES, [])


def set_side_b(**values: object) -> None:
    """Put values into side B's widgets (called from callbacks, before widgets exist)."""
    for name, value in values.items():
        st.session_state[f"{side_prefix('b')}.{name}"] = value


def side_a(name: str) -> object:
    """The value side A's widget `name` ("kind", "model.choice") holds."""
    return st.session_state.get(f"{side_prefix('a')}.{name}")


def side_a_model() -> str:
    return side_a("model.folder") or side_a("model.choice")


def apply_preset(preset: str) -> None:
    """Callback: set side B up for one of the common comparisons against side A."""
    a = {name: side_a(name) for name in HEAD_FIELDS}
    set_side_b(**{"model.choice": side_a("model.choice")})
    set_side_b(**{"model.folder": side_a("model.folder")})
    set_side_b(text=side_a("text"), **a)
    model = side_a_model()
    info = get_model(model).info
    if preset == "heads":
        set_side_b(head=(a["head"] + 1) % info.heads[a["kind"]])
    elif preset == "layers":
        set_side_b(layer=(a["layer"] + 1) % info.layers[a["kind"]])
    elif preset == "sentences":
        texts = [t for t in DEFAULT_TEXTS if t != side_a("text")]
        set_side_b(text=texts[0])
    else:
        others = [name for name in REGISTRY if name != model and a["kind"] in REGISTRY[name].kinds]
        if others:
            set_side_b(**{"model.choice": others[0], "model.folder": ""}, layer=0, head=0)
        else:
            st.session_state[NOTICES] = [f"No other model here has {a['kind']}."]


def open_pair() -> None:
    """Callback: a click on the head-distance matrix opens that pair side by side."""
    key = clicked_point(SIMILARITY)
    if key is None:
        return
    n_heads = get_model(side_a_model()).info.heads[side_a("kind")]
    (layer_a, head_a), (layer_b, head_b) = divmod(key[0], n_heads), divmod(key[1], n_heads)
    st.session_state[CompareView.key("layer")] = layer_a
    st.session_state[CompareView.key("head")] = head_a
    set_side_b(
        **{"model.choice": side_a("model.choice")},
        **{"model.folder": side_a("model.folder")},
        text=side_a("text"),
        kind=side_a("kind"),
        layer=layer_b,
        head=head_b,
    )


def defaults_from(a: HeadChoice | None) -> dict[str, object]:
    """What side B shows where the URL gives no value of its own: A's kind and layer, and the
    next head (a value that does not fit B's model is replaced quietly)."""
    if a is None:
        return {"head": 1}
    return {"kind": a.kind, "layer": a.layer, "head": a.head + 1}


def sides() -> tuple[HeadChoice | None, HeadChoice | None]:
    """Both sides' model, text, kind, layer and head pickers, in two columns; a side whose
    model fails is None (with the reason shown)."""
    a = b = None
    for column, side in zip(st.columns(2), "ab", strict=True):
        with column:
            st.subheader(f"Side {side.upper()}")
            pending = st.session_state.pop(PENDING[side], None)
            defaults = defaults_from(a) if side == "b" else None
            choice = side_controls(side_prefix(side), pending, defaults)
            a, b = (choice, b) if side == "a" else (a, choice)
    return a, b


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


def words_toggle() -> bool:
    return st.toggle(
        "Compare words (leave out special tokens, merge word pieces, on both sides)",
        key=CompareView.key("words"),
        help="Special tokens such as [CLS], [SEP] and [EOS] are left out and each row "
        "renormalised; a word's key pieces are summed and its query pieces averaged. Two "
        "tokenizers of the same text then line up word by word.",
    )


def ablation_controls(a: HeadChoice) -> Heads:
    """Which of side A's heads to switch off; invalid URL values fall back with a notice."""
    info = get_model(a.model).info
    key = CompareView.key("off")
    if not getattr(get_model(a.model), "switchable", {}).get(a.kind):
        # An RNN's one alignment: said before anyone picks a head, not after
        st.session_state.pop(PENDING_OFF, None)
        show_info(f"{a.model} cannot switch its {a.kind} heads off.")
        return ()
    options = [
        f"{layer}.{head}"
        for layer in range(info.layers[a.kind])
        for head in range(info.heads[a.kind])
    ]
    raw = st.session_state.pop(PENDING_OFF, None)
    if raw is not None:
        chosen = [part for part in raw.split(",") if part]
        bad = [part for part in chosen if part not in options]
        if bad:
            listed = ", ".join(bad)
            listed = listed if len(listed) <= 80 else quoted(listed)
            show_notices([f"Heads {listed} do not exist in {a.model}; they were left out."])
        st.session_state[key] = [part for part in chosen if part in options]
    st.session_state[key] = [part for part in st.session_state.get(key, []) if part in options]
    selected = st.multiselect(
        f"Heads of side A to switch off (layer.head, {a.kind})",
        options,
        key=key,
        placeholder="Choose heads to switch off",
    )
    heads = parse_heads(",".join(selected), a.kind)
    model = get_model(a.model)
    try:
        return check_heads(heads, getattr(model, "switchable", {}), info.heads)
    except ValueError as error:
        show_info(f"{error} Switching heads off is not available for this model.")
        return ()

"""/heads: its view state, its controls and callbacks, and which view of `attnviz.ui.heads` to draw.

`HeadsView` is the page's state between the URL and the widgets. The URL's kind, layer and
head wait in a `PendingHeads` until the model they index is known, and its token and source
token until the run's tokens are.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Mapping

import streamlit as st

from attnviz.analysis import STATISTICS
from attnviz.figures import COLOR_SCALES, Colouring
from attnviz.models.registry import DEFAULT_MODEL, REGISTRY
from attnviz.ui import heads as views
from attnviz.ui.cache import get_run
from attnviz.ui.clickable_chart import clicked_point
from attnviz.ui.controls import (
    ModelInfo,
    apply_head_params,
    keep_in_range,
    kind_layer_head,
    load_info,
    model_from_url,
)
from attnviz.ui.display import DisplayMaps, display_maps, flow_map
from attnviz.ui.presentation import presentation_params
from attnviz.ui.safe_text import escape_markdown, show_error
from attnviz.ui.url import page_params, read_choice, read_flag, read_int
from attnviz.ui.view_state import PageView, check_index
from attnviz.ui.widgets import FOLDER_CHOICE, Shown, model_picker, show_notices

LOG = logging.getLogger(__name__)
DEFAULT_TEXT = "The animal didn't cross the street because it was too tired."
MAX_CHARS = 20_000
# name -> allowed values of the options whose validity does not depend on the model
CHOICES = {
    "view": views.VIEWS,
    "scale": tuple(COLOR_SCALES),
    "aggregate": views.AGGREGATES,
    "statistic": tuple(STATISTICS),
}
FLAGS = ("log", "hide", "merge")
HEAD_FIELDS = ("kind", "layer", "head")  # read once the model is known
TOKEN_FIELDS = ("token", "key_token")  # read once the run's tokens are known


@dataclasses.dataclass(frozen=True)
class HeadsView(PageView):
    """What /heads shows. In the URL: model, text, kind, layer, head; then the options that
    differ from their defaults; the token and source token on the Token focus view only.

    The model's widgets are two: `heads.model.choice` (a shipped model or a folder) and
    `heads.model.folder`.
    """

    PAGE = "heads"

    model: str = DEFAULT_MODEL  # a registry name, or a model folder on disk
    text: str = DEFAULT_TEXT
    kind: str | None = None  # None until a model is there to index
    layer: int | None = None
    head: int | None = None
    view: str = "head"  # one of views.VIEWS
    scale: str = "viridis"  # colour scale, one of COLOR_SCALES
    aggregate: str = "mean"  # one of views.AGGREGATES
    statistic: str = "normalised_entropy"  # one of STATISTICS
    log: bool = False  # logarithmic colour
    hide: bool = False  # hide special tokens
    merge: bool = False  # merge word pieces into words
    token: int | None = None  # Token focus: the query token; None until the run is there
    key_token: int | None = None  # and the key token (the same one for self kinds)

    def __post_init__(self) -> None:
        for name in ("model", "text"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be text, not {getattr(self, name)!r}.")
        if self.kind is not None and not isinstance(self.kind, str):
            raise ValueError(f"kind must be text or None, not {self.kind!r}.")
        for name in ("layer", "head", *TOKEN_FIELDS):
            check_index(name, getattr(self, name))
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                listed = ", ".join(allowed)
                raise ValueError(f"{name} must be one of {listed}, not {getattr(self, name)!r}.")
        for name in FLAGS:
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, not {getattr(self, name)!r}.")

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> tuple[HeadsView, list[str]]:
        """The view a URL asks for (its kind, layer, head and tokens wait in `PendingHeads`),
        and a notice for each value replaced by its default."""
        choice, folder, model_note = model_from_url(params.get("model"))
        text = params.get("text", "")[:MAX_CHARS]
        values: dict[str, object] = {
            "model": folder if choice == FOLDER_CHOICE else choice,
            "text": text if text.strip() else DEFAULT_TEXT,
        }
        notices = [model_note]
        for name, allowed in CHOICES.items():
            values[name], note = read_choice(params, name, allowed, getattr(cls, name))
            notices.append(note)
        for name in FLAGS:
            values[name], note = read_flag(params, name, getattr(cls, name))
            notices.append(note)
        return cls(**values), [note for note in notices if note]

    def to_url(self) -> dict[str, object]:
        """The core five, the options that differ from their defaults, the tokens last."""
        url = {name: getattr(self, name) for name in ("model", "text", *HEAD_FIELDS)}
        for name in (*CHOICES, *FLAGS):
            if getattr(self, name) != getattr(type(self), name):
                url[name] = getattr(self, name)
        if self.view == "token":
            url |= {name: getattr(self, name) or 0 for name in TOKEN_FIELDS}
        return {name: value for name, value in url.items() if value is not None}

    def into_widgets(self, skip: tuple[str, ...] = ()) -> None:
        folder = self.model not in REGISTRY
        st.session_state[f"{self.key('model')}.choice"] = FOLDER_CHOICE if folder else self.model
        st.session_state[f"{self.key('model')}.folder"] = self.model if folder else ""
        super().into_widgets(skip=(*skip, "model"))


@dataclasses.dataclass(frozen=True)
class PendingHeads:
    """A URL's kind, layer, head and tokens as written, kept until what they index is known.

    The kind, layer and head are applied together once (`head_read` after that): a URL without
    them still puts the first kind, layer 0 and head 0 in place.
    """

    kind: str | None = None
    layer: str | None = None
    head: str | None = None
    token: str | None = None
    key_token: str | None = None
    head_read: bool = False

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> PendingHeads:
        return cls(**{name: params.get(name) for name in (*HEAD_FIELDS, *TOKEN_FIELDS)})


PENDING = HeadsView.state_key("pending")


def read_url_once() -> list[str]:
    """On a session's first visit, put the URL's view into the widgets; returns the notices."""
    params = page_params(HeadsView.PAGE, HeadsView.key("text"))
    if params is None:
        return []
    view, notices = HeadsView.from_url(params)
    view.into_widgets()
    st.session_state[PENDING] = PendingHeads.from_url(params)
    return notices


def display_controls() -> None:
    """Sidebar options: colour scale, log colour, special tokens, word pieces."""
    key = HeadsView.key
    st.subheader("Display")
    st.selectbox("Colour scale", tuple(COLOR_SCALES), key=key("scale"))
    st.toggle("Logarithmic colour", key=key("log"), help="Makes small weights visible.")
    st.toggle("Hide special tokens", key=key("hide"), help="[CLS], [SEP], <s>, </s> …")
    st.toggle("Merge word pieces into words", key=key("merge"))


def controls() -> HeadsView | None:
    """Text, model, kind, layer, head and view; None (with a message shown) if the model fails.

    The view is drawn below the pickers but chosen first: a view of the whole layer has no Head
    picker, and the views offered depend on how many heads the kind has.
    """
    with st.sidebar:
        model = model_picker(HeadsView.key("model"))
    text = st.text_area("Text", key=HeadsView.key("text"), height=80, max_chars=MAX_CHARS)
    info = load_info(model)
    if info is None:
        return None
    pending = st.session_state.get(PENDING)
    if pending is not None and not pending.head_read:
        head = {name: getattr(pending, name) for name in HEAD_FIELDS}
        apply_head_params(HeadsView.PAGE, head, info)
        st.session_state[PENDING] = dataclasses.replace(pending, head_read=True)
    pickers = st.container()
    kind = st.session_state.get(HeadsView.key("kind"))
    view = view_picker(model, info, kind if kind in info.kinds else info.kinds[0])
    with pickers:
        show_head = view not in views.LAYER_VIEWS
        kind, layer, head = kind_layer_head(HeadsView.PAGE, info, show_head=show_head)
    return HeadsView.from_widgets(model=model, text=text, kind=kind, layer=layer, head=head)


def view_picker(model: str, info: ModelInfo, kind: str) -> str:
    """The views that mean something for this kind; a view that needs more heads than the kind
    has is not offered, and the page says why (with a notice if it was the one chosen)."""
    offered = views.views_for(info.layers[kind], info.heads[kind])
    left_out = [views.VIEW_LABELS[view] for view in views.VIEWS if view not in offered]
    chosen = st.session_state.get(HeadsView.key("view"), "head")
    if chosen not in offered:
        st.session_state[HeadsView.key("view")] = "head"
        show_notices(
            [
                f"{views.VIEW_LABELS[chosen]} compares heads, and {model} has a single {kind} "
                "head; showing Head instead."
            ]
        )
    view = st.radio(
        "View",
        offered,
        key=HeadsView.key("view"),
        horizontal=True,
        format_func=views.VIEW_LABELS.get,
        label_visibility="collapsed",
    )
    if left_out:
        st.caption(
            escape_markdown(
                f"{model} has a single {kind} head, so the views that compare heads "
                f"({', '.join(left_out)}) are not offered."
            )
        )
    return view


def pick_head_in_layer() -> None:
    """Callback: a click on a small multiple selects that head."""
    key = clicked_point(HeadsView.state_key("grid"))
    if key:
        st.session_state[HeadsView.key("head")] = key[0]


def open_head_from(chart: str) -> None:
    """Callback: a click on an overview thumbnail or a statistic cell opens that head."""
    key = clicked_point(HeadsView.state_key(chart))
    if key and len(key) == 2:
        layer, head = key
        st.session_state[HeadsView.key("layer")] = layer
        st.session_state[HeadsView.key("head")] = head
        st.session_state[HeadsView.key("view")] = "head"


def token_pickers(maps: DisplayMaps) -> tuple[int, int]:
    """The query token to follow and the key token to look at (the same one for self kinds);
    the URL's values once, checked against the run's tokens."""
    key = HeadsView.key
    for name, tokens in (("token", maps.query_tokens), ("key_token", maps.key_tokens)):
        first_word = views.first_word(tokens)  # not [CLS]: what it attends to says little
        pending = st.session_state.get(PENDING)
        raw = None if pending is None else getattr(pending, name)
        if raw is not None:
            st.session_state[PENDING] = dataclasses.replace(pending, **{name: None})
            st.session_state[key(name)], note = read_int({name: raw}, name, len(tokens), first_word)
            show_notices([note] if note else [])
        keep_in_range(key(name), tuple(range(len(tokens))), first_word)
    columns = st.columns(2)
    label = views.token_label
    query_tokens, key_tokens = maps.query_tokens, maps.key_tokens  # not the maps' arrays
    with columns[0]:
        query = st.selectbox(
            "Token",
            range(len(query_tokens)),
            key=key("token"),
            format_func=lambda i: label(i, query_tokens[i]),
        )
    if maps.same_sequence:
        st.session_state[key("key_token")] = query
        return query, query
    with columns[1]:
        source = st.selectbox(
            "Source token",
            range(len(key_tokens)),
            key=key("key_token"),
            format_func=lambda i: label(i, key_tokens[i]),
        )
    return query, source


def aggregate_picker(maps: DisplayMaps) -> str:
    """Mean and max when the layer has several heads, rollout and flow when the model has."""
    offered = views.aggregates_for(maps.n_layers, maps.n_heads)
    key = HeadsView.key("aggregate")
    chosen = st.session_state.get(key, offered[0])
    if chosen not in offered:
        st.session_state[key] = offered[0]
        show_notices(
            [
                f"The {views.AGGREGATE_LABELS[chosen]} is the head itself when a layer has one "
                f"head; showing the {views.AGGREGATE_LABELS[offered[0]]} instead."
            ]
        )
    return st.selectbox("Aggregate", offered, key=key, format_func=views.AGGREGATE_LABELS.get)


def load_maps(view: HeadsView) -> DisplayMaps | None:
    """The maps to show, or None with the reason shown."""
    try:
        return display_maps(view.model, view.text, view.kind, view.hide, view.merge)
    except ValueError as error:
        show_error(str(error))
    except Exception as error:  # a model failing must not end the session in a traceback
        LOG.exception("running %s failed", view.model)
        show_error(f"The model could not run on this text ({type(error).__name__}: {error}).")
    return None


def show_view(view: HeadsView, maps: DisplayMaps) -> None:
    """Draw the chosen view of the maps."""
    colouring = Colouring(view.scale, view.log)
    # The model in every title: it names the downloaded files and heads the exported figure.
    where = f"{view.model} · {view.kind} · layer {view.layer}"
    if view.view == "head":
        title = f"{where} · head {view.head}"
        run = functools.partial(get_run, view.model, view.text)
        grid = HeadsView.state_key("grid")
        views.show_head(
            maps, view.layer, view.head, title, colouring, pick_head_in_layer, grid, run
        )
    elif view.view == "overview":
        on_pick, key = lambda: open_head_from("overview"), HeadsView.state_key("overview")
        views.show_overview(maps, view.layer, view.head, colouring, on_pick, key)
    elif view.view == "aggregate":
        aggregate = aggregate_picker(maps)
        title = f"{where} · {views.AGGREGATE_LABELS[aggregate]}"
        options = (view.model, view.text, view.kind, view.hide, view.merge, view.layer)
        flow = lambda: flow_map(*options)  # noqa: E731
        shows = Shown(view.model, view.text)
        views.show_aggregate(maps, view.layer, aggregate, title, colouring, flow, shows)
    elif view.view == "statistics":
        statistic = st.selectbox(
            "Statistic",
            tuple(STATISTICS),
            key=HeadsView.key("statistic"),
            format_func=views.STATISTIC_LABELS.get,
        )
        on_pick, key = lambda: open_head_from("statistics"), HeadsView.state_key("statistics")
        views.show_statistics(maps, view.layer, view.head, statistic, on_pick, key)
    else:
        query, key = token_pickers(maps)
        views.show_token_focus(maps, view.layer, query, key, colouring)


def as_shown(view: HeadsView) -> HeadsView:
    """The view as the widgets hold it at the end of the run (a picker or a notice may have
    put another value in place), with the model and head the controls returned."""
    head = {name: getattr(view, name) for name in ("model", "text", *HEAD_FIELDS)}
    return HeadsView.from_widgets(**head)


def page_url(view: HeadsView) -> dict[str, object]:
    """The URL of the view, with the app's presentation flag before the tokens."""
    url = view.to_url()
    tokens = {name: url.pop(name) for name in TOKEN_FIELDS if name in url}
    return url | presentation_params() | tokens

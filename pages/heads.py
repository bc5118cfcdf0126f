"""/heads: every head of a Transformer, one at a time, all at once, aggregated and measured."""

from __future__ import annotations

import dataclasses
import functools
import logging

import streamlit as st

from attnviz.analysis import STATISTICS
from attnviz.figures import COLOR_SCALES, Colouring
from attnviz.ui import heads as views
from attnviz.ui.cache import get_run
from attnviz.ui.controls import (
    HeadChoice,
    ModelInfo,
    apply_head_params,
    keep_in_range,
    kind_layer_head,
    load_info,
    model_from_url,
)
from attnviz.ui.display import DisplayMaps, display_maps, flow_map
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, presentation_params
from attnviz.ui.safe_text import escape_markdown, show_error
from attnviz.ui.url import page_params, read_choice, read_flag, read_int, write_params
from attnviz.ui.widgets import Shown, clicked_key, model_picker, show_notices

LOG = logging.getLogger(__name__)
DEFAULT_TEXT = "The animal didn't cross the street because it was too tired."
KEY = "heads"
# name -> (allowed values, default) of the options whose validity does not depend on the model
CHOICES = {
    "view": (views.VIEWS, "head"),
    "scale": (tuple(COLOR_SCALES), "viridis"),
    "aggregate": (views.AGGREGATES, "mean"),
    "statistic": (tuple(STATISTICS), "normalised_entropy"),
}
FLAGS = {"log": False, "hide": False, "merge": False}
# checked once the model, or the run's tokens, are known
PENDING = ("kind", "layer", "head", "token", "key_token")


def state(name: str) -> str:
    return f"{KEY}.{name}"


def read_url_once() -> None:
    """On a session's first visit, put the URL's values into the widgets' state."""
    params = page_params(KEY, state("text"))
    if params is None:
        return
    choice, folder, model_note = model_from_url(params.get("model"))
    text = params.get("text", "")[:20_000]
    st.session_state[state("model.choice")] = choice
    st.session_state[state("model.folder")] = folder
    st.session_state[state("text")] = text if text.strip() else DEFAULT_TEXT
    notices = [model_note]
    for name, (allowed, default) in CHOICES.items():
        st.session_state[state(name)], note = read_choice(params, name, allowed, default)
        notices.append(note)
    for name, default in FLAGS.items():
        st.session_state[state(name)], note = read_flag(params, name, default)
        notices.append(note)
    st.session_state[state("pending")] = {name: params.get(name) for name in PENDING}
    st.session_state[state("notices")] = [note for note in notices if note]


def display_controls() -> Colouring:
    """Sidebar options: colour scale, log colour, special tokens, word pieces."""
    st.subheader("Display")
    scale = st.selectbox("Colour scale", tuple(COLOR_SCALES), key=state("scale"))
    log = st.toggle("Logarithmic colour", key=state("log"), help="Makes small weights visible.")
    st.toggle("Hide special tokens", key=state("hide"), help="[CLS], [SEP], <s>, </s> …")
    st.toggle("Merge word pieces into words", key=state("merge"))
    return Colouring(scale, log)


def heads_controls() -> tuple[HeadChoice, str] | None:
    """Text, model, kind, layer, head and view; None (with a message shown) if the model fails.

    The view is drawn below the pickers but chosen first: a view of the whole layer has no Head
    picker, and the views offered depend on how many heads the kind has.
    """
    with st.sidebar:
        model = model_picker(state("model"))
    text = st.text_area("Text", key=state("text"), height=80, max_chars=20_000)
    info = load_info(model)
    if info is None:
        return None
    pending = st.session_state.get(state("pending")) or {}
    if "kind" in pending:
        apply_head_params(
            KEY, {name: pending.pop(name) for name in ("kind", "layer", "head")}, info
        )
    pickers = st.container()
    kind = st.session_state.get(state("kind"))
    view = view_picker(model, info, kind if kind in info.kinds else info.kinds[0])
    with pickers:
        kind, layer, head = kind_layer_head(KEY, info, show_head=view not in views.LAYER_VIEWS)
    return HeadChoice(model, text, kind, layer, head), view


def view_picker(model: str, info: ModelInfo, kind: str) -> str:
    """The views that mean something for this kind; a view that needs more heads than the kind
    has is not offered, and the page says why (with a notice if it was the one chosen)."""
    offered = views.views_for(info.layers[kind], info.heads[kind])
    left_out = [views.VIEW_LABELS[view] for view in views.VIEWS if view not in offered]
    chosen = st.session_state.get(state("view"), "head")
    if chosen not in offered:
        st.session_state[state("view")] = "head"
        show_notices(
            [
                f"{views.VIEW_LABELS[chosen]} compares heads, and {model} has a single {kind} "
                "head; showing Head instead."
            ]
        )
    view = st.radio(
        "View",
        offered,
        key=state("view"),
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
    key = clicked_key(state("grid"))
    if key:
        st.session_state[state("head")] = key[0]


def open_head_from(chart: str) -> None:
    """Callback: a click on an overview thumbnail or a statistic cell opens that head."""
    key = clicked_key(state(chart))
    if key and len(key) == 2:
        st.session_state[state("layer")], st.session_state[state("head")] = key
        st.session_state[state("view")] = "head"


def token_pickers(maps: DisplayMaps) -> tuple[int, int]:
    """The query token to follow and the key token to look at (the same one for self kinds)."""
    pending = st.session_state.get(state("pending")) or {}
    for name, tokens in (("token", maps.query_tokens), ("key_token", maps.key_tokens)):
        first_word = views.first_word(tokens)  # not [CLS]: what it attends to says little
        raw = pending.pop(name, None)
        if raw is not None:
            st.session_state[state(name)], note = read_int(
                {name: raw}, name, len(tokens), first_word
            )
            show_notices([note] if note else [])
        keep_in_range(state(name), tuple(range(len(tokens))), first_word)
    columns = st.columns(2)
    label = views.token_label
    query_tokens, key_tokens = maps.query_tokens, maps.key_tokens  # not the maps' arrays
    with columns[0]:
        query = st.selectbox(
            "Token",
            range(len(query_tokens)),
            key=state("token"),
            format_func=lambda i: label(i, query_tokens[i]),
        )
    if maps.same_sequence:
        st.session_state[state("key_token")] = query
        return query, query
    with columns[1]:
        key = st.selectbox(
            "Source token",
            range(len(key_tokens)),
            key=state("key_token"),
            format_func=lambda i: label(i, key_tokens[i]),
        )
    return query, key


def aggregate_picker(maps: DisplayMaps) -> str:
    """Mean and max when the layer has several heads, rollout and flow when the model has."""
    offered = views.aggregates_for(maps.n_layers, maps.n_heads)
    chosen = st.session_state.get(state("aggregate"), offered[0])
    if chosen not in offered:
        st.session_state[state("aggregate")] = offered[0]
        show_notices(
            [
                f"The {views.AGGREGATE_LABELS[chosen]} is the head itself when a layer has one "
                f"head; showing the {views.AGGREGATE_LABELS[offered[0]]} instead."
            ]
        )
    return st.selectbox(
        "Aggregate", offered, key=state("aggregate"), format_func=views.AGGREGATE_LABELS.get
    )


def show_view(choice: HeadChoice, maps: DisplayMaps, view: str, colouring: Colouring) -> None:
    """Draw the chosen view of the maps."""
    # The model in every title: it names the downloaded files and heads the exported figure.
    where = f"{choice.model} · {choice.kind} · layer {choice.layer}"
    if view == "head":
        title = f"{where} · head {choice.head}"
        views.show_head(
            maps,
            choice.layer,
            choice.head,
            title,
            colouring,
            pick_head_in_layer,
            state("grid"),
            functools.partial(get_run, choice.model, choice.text),
        )
    elif view == "overview":
        views.show_overview(
            maps,
            choice.layer,
            choice.head,
            colouring,
            lambda: open_head_from("overview"),
            state("overview"),
        )
    elif view == "aggregate":
        aggregate = aggregate_picker(maps)
        title = f"{where} · {views.AGGREGATE_LABELS[aggregate]}"
        options = (st.session_state[state("hide")], st.session_state[state("merge")])
        flow = lambda: flow_map(choice.model, choice.text, choice.kind, *options, choice.layer)  # noqa: E731
        shows = Shown(choice.model, choice.text)
        views.show_aggregate(maps, choice.layer, aggregate, title, colouring, flow, shows)
    elif view == "statistics":
        statistic = st.selectbox(
            "Statistic",
            tuple(STATISTICS),
            key=state("statistic"),
            format_func=views.STATISTIC_LABELS.get,
        )
        views.show_statistics(
            maps,
            choice.layer,
            choice.head,
            statistic,
            lambda: open_head_from("statistics"),
            state("statistics"),
        )
    else:
        query, key = token_pickers(maps)
        views.show_token_focus(maps, choice.layer, query, key, colouring)


def url_state(choice: HeadChoice) -> dict[str, object]:
    """The URL of the current view: the core five, then options that differ from defaults."""
    values: dict[str, object] = dataclasses.asdict(choice)
    session = st.session_state
    for name, (_, default) in CHOICES.items():
        if session.get(state(name), default) != default:
            values[name] = session[state(name)]
    for name, default in FLAGS.items():
        if session.get(state(name), default) != default:
            values[name] = session[state(name)]
    values.update(presentation_params())
    if session.get(state("view")) == "token":
        values["token"] = session.get(state("token"), 0)
        values["key_token"] = session.get(state("key_token"), 0)
    return values


def load_maps(choice: HeadChoice) -> DisplayMaps | None:
    """The maps to show, or None with the reason shown."""
    session = st.session_state
    try:
        return display_maps(
            choice.model, choice.text, choice.kind, session[state("hide")], session[state("merge")]
        )
    except ValueError as error:
        show_error(str(error))
    except Exception as error:  # a model failing must not end the session in a traceback
        LOG.exception("running %s failed", choice.model)
        show_error(f"The model could not run on this text ({type(error).__name__}: {error}).")
    return None


def main() -> None:
    """The page. Everything it computes is local to this call: a page's module globals live
    in a reference cycle (its functions point back at them), so maps kept there would outlive
    the run and hold an evicted run's arrays until a full garbage collection."""
    st.title("Heads")
    st.caption("Which tokens each token attends to, in every layer and head.")
    copy_link_button()
    read_url_once()
    show_notices(st.session_state.pop(state("notices"), []))
    with st.sidebar:
        colouring = display_controls()
    controls = heads_controls()
    if controls is None:
        return
    choice, view = controls
    if not choice.text.strip():
        st.warning("The text is empty; type at least one word.")
    elif (maps := load_maps(choice)) is not None:
        show_notices(maps.notes)
        if maps.weights.shape[2] == 0 or maps.weights.shape[3] == 0:
            st.warning("Nothing is left to show once special tokens are hidden.")
        else:
            show_view(choice, maps, view, colouring)
    write_params(url_state(choice), KEY)


require_navigation()
main()

"""A page's view state: one frozen dataclass whose fields are the page's widgets, bound to the URL.

A page subclasses `PageView` with its fields, their defaults and their checks
(`__post_init__` raises `ValueError`), a `from_url(params)` that returns the view and a notice
for each URL value it replaced, and a `to_url()` that returns what the URL shows. The widget
of field `name` is keyed "<page>.<name>" (`key`) and anything else the page keeps in the
session (a run, a message for the next run, a chart) is keyed by `state_key`, so no page
spells a session key itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import ClassVar, Self

import streamlit as st

from attnviz.ui.controls import keep_in_range
from attnviz.ui.url import read_int
from attnviz.ui.widgets import show_notices


@dataclasses.dataclass(frozen=True)
class PageView:
    """Base of the pages' view states; subclasses are frozen dataclasses that set `PAGE`."""

    PAGE: ClassVar[str] = ""

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(field.name for field in dataclasses.fields(cls))

    @classmethod
    def key(cls, name: str) -> str:
        """The widget key of field `name`: "<page>.<name>"."""
        if name not in cls.names():
            allowed = ", ".join(cls.names())
            raise ValueError(f"{cls.__name__} has no field {name!r}; its fields are {allowed}.")
        return f"{cls.PAGE}.{name}"

    @classmethod
    def state_key(cls, name: str) -> str:
        """The session key of something the page keeps that is not a field (a run, a chart)."""
        if name in cls.names():
            raise ValueError(f"{name!r} is a field of {cls.__name__}; use {cls.__name__}.key.")
        return f"{cls.PAGE}.{name}"

    def into_widgets(self, skip: tuple[str, ...] = ()) -> None:
        """Put each field's value into its widget's state; a field that is None, or named in
        `skip` (one a subclass puts in place itself), is left alone."""
        for name in self.names():
            value = getattr(self, name)
            if name not in skip and value is not None:
                st.session_state[self.key(name)] = value

    @classmethod
    def from_widgets(cls, **values: object) -> Self:
        """The view the widgets hold now; `values` override them, defaults fill the rest."""
        state = st.session_state
        held = {name: state[cls.key(name)] for name in cls.names() if cls.key(name) in state}
        return cls(**(held | values))


def check_index(name: str, value: object) -> None:
    """A layer or head of a view: None (not chosen yet) or a whole number from 0."""
    if value is not None and (not isinstance(value, int) or value < 0):
        raise ValueError(f"{name} must be a whole number from 0 or None, not {value!r}.")


@dataclasses.dataclass(frozen=True)
class PendingHead:
    """A URL's layer and head as written, kept until the model they index is known."""

    layer: str | None = None
    head: str | None = None

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> PendingHead:
        return cls(params.get("layer"), params.get("head"))

    def read(self, layers: int, heads: int) -> tuple[dict[str, int], list[str]]:
        """The values for a model of `layers` x `heads`, by name (0 for one that does not
        fit), and a notice for each value replaced."""
        values, notices = {}, []
        for name, count in (("layer", layers), ("head", heads)):
            raw = getattr(self, name)
            if raw is not None:
                values[name], note = read_int({name: raw}, name, count)
                notices += [note] if note else []
        return values, notices


def keep_pending_head(view: type[PageView], params: Mapping[str, str]) -> None:
    """Keep the URL's layer and head for `layer_head_pickers` to apply once."""
    st.session_state[view.state_key("pending")] = PendingHead.from_url(params)


def layer_head_pickers(
    view: type[PageView], layers: int, heads: int, default_layer: int = 0
) -> tuple[int, int]:
    """Layer and head selectboxes (fields `layer` and `head` of `view`); the URL's values once.

    A value the model does not offer now (another model's layer) goes back to `default_layer`
    or head 0.
    """
    pending = st.session_state.pop(view.state_key("pending"), None)
    if pending is not None:
        values, notices = pending.read(layers, heads)
        for name, value in values.items():
            st.session_state[view.key(name)] = value
        show_notices(notices)
    keep_in_range(view.key("layer"), tuple(range(layers)), default_layer)
    keep_in_range(view.key("head"), tuple(range(heads)), 0)
    left, right = st.columns(2)
    layer = left.selectbox("Layer", tuple(range(layers)), key=view.key("layer"))
    head = right.selectbox("Head", tuple(range(heads)), key=view.key("head"))
    return int(layer), int(head)

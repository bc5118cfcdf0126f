"""Every view's state lives in its URL; bad values fall back to defaults with a notice."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from attnviz.ui.safe_text import quoted

TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
APP_WIDE = ("present",)  # parameters of the whole app, not of one page's view


def read_int(
    params: Mapping[str, str], name: str, count: int, default: int = 0, lowest: int = 0
) -> tuple[int, str | None]:
    """`params[name]` as a whole number in lowest..count-1, or the default and a notice saying why.

    The notice states the range that is allowed: "beam 9 does not exist (1 to 5)".
    """
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default, f"{name} must be a whole number; {quoted(raw)} was replaced by {default}."
    if not lowest <= value < count:
        return default, (
            f"{name} {value} does not exist ({allowed_range(lowest, count - 1)}); "
            f"showing {name} {default} instead."
        )
    return value, None


def allowed_range(lowest: int, highest: int) -> str:
    """The allowed values in words: "0 to 5", or "only 0" when there is one."""
    return f"only {lowest}" if lowest == highest else f"{lowest} to {highest}"


def read_choice(
    params: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str
) -> tuple[str, str | None]:
    """`params[name]` if it is one of `allowed`, else the default and a notice."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    if raw in allowed:
        return raw, None
    return default, f"{name} {quoted(raw)} is not available here; showing {default!r} instead."


def read_flag(params: Mapping[str, str], name: str, default: bool) -> tuple[bool, str | None]:
    """`params[name]` as on/off ("1"/"0", "true"/"false"), or the default and a notice."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default, None
    if raw.lower() in TRUE_WORDS:
        return True, None
    if raw.lower() in FALSE_WORDS:
        return False, None
    return default, f"{name} must be 1 or 0; {quoted(raw)} was replaced by {int(default)}."


def url_value(value: object) -> str:
    """How a value is written in the URL (flags as 1/0)."""
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def write_params(values: Mapping[str, object], page: str | None = None) -> None:
    """Make the URL show exactly `values` (only when it differs, to avoid extra reruns).

    page: the page's state prefix; the values are also kept in the session, so coming back to
    the page from another one restores the view (see `page_params`).
    """
    wanted = {name: url_value(value) for name, value in values.items() if value is not None}
    if page is not None:
        st.session_state[f"{page}.shown"] = wanted
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def page_params(page: str, widget_key: str) -> Mapping[str, str] | None:
    """The values a page should put into its widgets now, or None when they are in place.

    On the first visit they come from the URL, and so after Back or Forward: the URL is then
    the view the reader went back to, not the one the widgets still hold. Streamlit drops the
    state of widgets that a run does not draw, so after a visit to another page `widget_key`
    is gone: then the URL's values are used if it has any, else what the page showed last
    (`write_params(page=...)`).
    """
    visited = st.session_state.get(f"{page}.url_read", False)
    if visited and widget_key in st.session_state and not url_moved(page):
        return None
    st.session_state[f"{page}.url_read"] = True
    if visited and not set(st.query_params) - set(APP_WIDE):
        return st.session_state.get(f"{page}.shown", {})
    return {name: st.query_params[name] for name in st.query_params}


def url_moved(page: str) -> bool:
    """Whether the URL no longer shows what the page wrote into it last: the reader went Back
    or Forward (or edited the URL). A widget change never does this: its rerun starts from the
    URL the previous run wrote, and the page writes the new view at the end."""
    shown = st.session_state.get(f"{page}.shown")
    return shown is not None and dict(st.query_params) != shown

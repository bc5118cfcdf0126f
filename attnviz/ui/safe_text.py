"""User text into Markdown, inert: the one place the app escapes what a user typed or linked.

`st.info`, `st.warning`, `st.error`, `st.markdown`, `st.caption`, widget labels and `st.radio`
options render Markdown (GitHub's flavour, with Streamlit's own additions): a URL value such
as `**Your session expired.** [Log in](https://evil.example)` would otherwise show bold text
and a live link inside our notice. Every string that comes from a user (URL values, typed text,
model output, folder paths, and messages that quote any of these) goes through
`escape_markdown` before it reaches one of those calls, or through `show_info` /
`show_warning` / `show_error`, which escape the whole message.

Usage, for any page:

    from attnviz.ui.safe_text import escape_markdown, show_error, show_info

    show_info(f"Model {quoted(raw)} cannot be opened; showing minilm-l6.")   # all plain text
    st.markdown(f"**Translation:** {escape_markdown(run.output_text)}")       # our Markdown
                                                                              # around theirs
"""

from __future__ import annotations

import re

import streamlit as st

# The characters that start Markdown inside a line: emphasis and code (* _ `), links and
# images and Streamlit's `:colour[...]` directives ([ ] !), raw HTML and entities (< > &),
# tables (|), strikethrough (~), LaTeX ($) and the backslash itself. A backslash before any
# of them shows the character itself (CommonMark escapes all ASCII punctuation).
_INLINE = re.compile(r"([\\`*_\[\]!<>&|~$])")
# What only the start of a line makes special: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^(\d+)?([#>+=\-.)])")
# GitHub's autolinks ("https://…", "www.…", "name@host.org") are found in the text *after*
# escapes are resolved, so backslashes do not stop them: an invisible WORD JOINER breaks the
# patterns they look for ("://", "www.", "@") without changing what a reader sees.
_WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)www(?=\.)|(?=://)|@")
QUOTE_LIMIT = 80  # characters of a user's value quoted in a message; the rest is cut


def escape_markdown(text: object) -> str:
    """`text` as Markdown that shows exactly its characters, on one line, and nothing live.

    No link, image, emphasis, heading, list, HTML, LaTeX or autolink can come out of it. Line
    breaks become spaces and leading spaces go (a notice is one sentence).
    """
    flat = " ".join(str(text).splitlines()).lstrip()
    escaped = _INLINE.sub(r"\\\1", flat)
    escaped = _LINE_START.sub(lambda m: (m.group(1) or "") + "\\" + m.group(2), escaped)
    return _AUTOLINK.sub(lambda m: m.group(0) + _WORD_JOINER, escaped)


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A user's value quoted for a message, as plain text: `'abc'`, cut with its length when
    long (`'aaaa…' (5,000 characters)`). Escape the message before it reaches Markdown."""
    text = str(value)
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit] + '…'!r} ({len(text):,} characters)"


def code_span(text: object) -> str:
    """`text` as a Markdown code span (shown monospaced, exactly as it is), on one line."""
    flat = " ".join(str(text).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""  # CommonMark strips one
    return f"{fence}{pad}{flat}{pad}{fence}"


def show_info(text: str) -> None:
    """A notice (a fallback, an adjustment): the whole message shown as plain text."""
    st.info(escape_markdown(text), icon="ℹ️")


def show_warning(text: str) -> None:
    """A warning, shown as plain text."""
    st.warning(escape_markdown(text))


def show_error(text: str) -> None:
    """An error of this session (bad input, a model that cannot load), shown as plain text."""
    st.error(escape_markdown(text))

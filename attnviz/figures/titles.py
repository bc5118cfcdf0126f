"""Titles for exported figures: a file on its own says what it shows.

On the page a figure sits under the text box and the model picker, so its title need not
repeat them; a downloaded PNG has nothing around it. `titled` adds to a title the model and
the text it lacks, as lines of their own, escaped (a typed `<b>` is shown as typed, see
DESIGN.md section 5) and laid out by `fit_title` above the top axis's labels.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence

import plotly.graph_objects as go

from attnviz.figures.layout import CHARACTER_WIDTH, DEFAULT_TITLE_SIZE, fit_title, wrap_title

TEXT_IN_TITLE = 60  # characters of the text quoted in a title; longer ones end in "…"


@dataclasses.dataclass(frozen=True)
class Shown:
    """A model and the text it read: what an exported figure's title names, so that a file on
    its own says what it shows."""

    model: str  # a registry name or a folder path
    text: str  # the text as typed (long ones are shortened in titles)
    label: str = ""  # the figure's name for this run, to start its line ("A: … · head 0")


def short_text(text: str, limit: int = TEXT_IN_TITLE) -> str:
    """`text` on one line; past `limit` characters cut at a word and ended with "…"."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]  # room for the ellipsis
    space = cut.rfind(" ")
    # End on a whole word, unless the cut is at a word's end already or it would cost half.
    if flat[limit - 1] != " " and space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def context_lines(title: str, shown: Sequence[Shown]) -> list[str]:
    """For each run in `shown`, a line naming what `title` leaves out of its model and text.

    title: the figure's title as Plotly has it (escaped, with `<br>` breaks). Lines are plain
    text, not escaped; a run the title names already gets none, and repeated lines are one.
    """
    plain = html.unescape(re.sub(r"<br>|</?b>", " ", title))
    lines: list[str] = []
    for run in shown:
        parts = [run.label] if run.label else []
        if run.model not in plain and run.model not in run.label:
            parts.append(run.model)
        text = short_text(run.text)
        if text not in plain:
            parts.append(f"“{text}”")
        line = " · ".join(parts)
        if len(parts) > (1 if run.label else 0) and line not in lines:
            lines.append(line)
    return lines


def titled(figure: go.Figure, shown: Sequence[Shown], width: int) -> go.Figure:
    """`figure` with a title that names the model and quotes the text of each run in `shown`.

    What the title lacks is added under it as lines of their own (escaped, so a typed `<b>`
    shows as typed, and wrapped to `width` CSS pixels); the figure grows by their height and
    its plot keeps its size (`fit_title`). A copy; the figure itself when nothing is missing.
    """
    title = figure.layout.title.text or ""
    lines = context_lines(title, shown)
    if not lines:
        return figure
    size = figure.layout.title.font.size or DEFAULT_TITLE_SIZE
    characters = max(20, int(width / (CHARACTER_WIDTH * size)))
    added = [wrap_title(html.escape(line, quote=False), characters) for line in lines]
    copy = go.Figure(figure)
    copy.update_layout(title_text="<br>".join([title, *added] if title else added))
    return fit_title(copy)

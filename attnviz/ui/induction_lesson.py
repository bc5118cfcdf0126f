"""The induction-heads lesson: random words written twice, and the heads that copy them."""

from __future__ import annotations

import numpy as np
import streamlit as st

from attnviz.analysis.induction import (
    LESSON_WORDS,
    induction_scores,
    induction_targets,
    previous_token_scores,
    repeated_random_words,
)
from attnviz.attention import Run
from attnviz.figures.heatmap import head_heatmap, statistic_heatmap
from attnviz.ui.clickable_chart import clicked_point
from attnviz.ui.safe_text import show_error
from attnviz.ui.widgets import Download, file_stem, show_chart

KEY = "lesson.induction"
MODEL = "gpt-austen"


def copy_accuracy(run: Run) -> tuple[float, float]:
    """How often the model's most probable next token is the real next token, in the first
    copy and in the second (where induction can predict it)."""
    tokens, table = run.source_tokens, run.next_tokens or ()
    half = len(tokens) // 2
    hits = [float(table[i][0][0] == tokens[i + 1]) for i in range(len(tokens) - 1)]
    first, second = hits[: half - 1], hits[half:]
    return (float(np.mean(first)) if first else 0.0, float(np.mean(second)) if second else 0.0)


def _pick_head(chart: str) -> None:
    picked = clicked_point(chart)
    if picked and len(picked) == 2:
        st.session_state[f"{KEY}.head"] = (picked[0], picked[1])


def score_maps(induction: np.ndarray, previous: np.ndarray, selected: tuple[int, int]) -> None:
    """The two layer x head maps of scores; a click opens that head below."""
    left, right = st.columns(2)
    for column, values, name, chart in (
        (left, induction, "induction score", f"{KEY}.induction_map"),
        (right, previous, "previous-token score", f"{KEY}.previous_map"),
    ):
        with column:
            st.caption(f"**{name.capitalize()}** of every head. Click a cell to open that head.")
            labels = [[f"{v:.2f}" for v in row] for row in values]
            figure = statistic_heatmap(values, name, labels, selected, (0.0, 1.0))
            show_chart(figure, chart, on_select=lambda chart=chart: _pick_head(chart))


def open_head(run: Run, layer: int, head: int) -> None:
    """The chosen head's map over the two copies, where the induction stripe shows."""
    from attnviz.ui.generate import heads_link

    maps = run.maps["decoder_self"]
    title = f"{run.model} · layer {layer} · head {head} · random words written twice"
    weights = maps.head(layer, head)
    figure = head_heatmap(weights, maps.query_tokens, maps.key_tokens, title, maps.visible)
    matrix = (weights, maps.query_tokens, maps.key_tokens)
    stem = file_stem(run.model, "induction", layer, head)
    show_chart(figure, f"{KEY}.head_map", download=Download(stem, matrix))
    link = heads_link(run.model, run.text, layer, head)
    st.markdown(f"[Open this head in the Heads explorer]({link})")


def induction_heads() -> None:
    """Olsson et al.'s induction heads, on gpt-austen."""
    st.markdown(
        "Give a language model a sequence of random words, then the same sequence again. "
        "The first copy is unpredictable; the second is easy **if the model looks back**: "
        "at each word of the second copy, find where the same word stood in the first copy "
        "and read the word that came *after* it. Olsson et al. (2022, *In-context Learning "
        "and Induction Heads*) found heads that do exactly this, **induction heads**, and "
        "showed that they need a helper in an earlier layer: a **previous-token head**, "
        "which copies into each position the token before it, so that the induction head "
        "can match 'the token whose predecessor was the current token'."
    )
    st.latex(r"[A]\,[B]\;\dots\;[A] \;\rightarrow\; \text{attend to } [B],\ \text{predict } [B]")
    columns = st.columns(2)
    n_words = columns[0].slider("Words in one copy", 5, 60, 25, key=f"{KEY}.words")
    seed = columns[1].number_input("Seed", 0, 10_000, 0, key=f"{KEY}.seed")
    text = repeated_random_words(LESSON_WORDS, int(n_words), int(seed))
    st.caption("The text: " + text[:400] + ("…" if len(text) > 400 else ""))
    from attnviz.ui.cache import get_run

    try:
        run = get_run(MODEL, text)
    except ValueError as error:
        show_error(str(error))
        return
    weights = run.maps["decoder_self"].weights
    induction = induction_scores(weights, run.source_tokens)
    previous = previous_token_scores(weights)
    best = np.unravel_index(int(induction.argmax()), induction.shape)
    selected = st.session_state.get(f"{KEY}.head") or (int(best[0]), int(best[1]))
    if not (0 <= selected[0] < induction.shape[0] and 0 <= selected[1] < induction.shape[1]):
        selected = (int(best[0]), int(best[1]))
    st.markdown(
        "The **induction score** of a head is its mean attention from each token of the "
        "second copy to the token after its first occurrence "
        f"({len(induction_targets(run.source_tokens))} such tokens here); the "
        "**previous-token score** its mean attention to the token just before."
    )
    score_maps(induction, previous, selected)
    first, second = copy_accuracy(run)
    st.markdown(
        f"The model's most probable next token is the right one **{first:.0%}** of the time "
        f"in the first copy and **{second:.0%}** in the second. The best induction head here "
        f"is layer {best[0]}, head {best[1]} (score {induction[best]:.2f})."
    )
    open_head(run, *selected)
    st.markdown(
        "In an induction head's map a stripe runs parallel to the diagonal, one copy's "
        "length to the left of it: each query in the second copy attends one token to the "
        "right of its match, and the induction score is near 1. gpt-austen was trained with "
        "a share of such repeated random words mixed into the novels, and its keys are "
        "*smeared*: each head mixes a learned share of the previous position's key into "
        "every key, which Olsson et al. found brings induction heads forward. In its 4.6 "
        "hours on two shared cores one came: layer 0, head 2 made its key the previous "
        "position's alone and matches the current token against it, so it attends to the "
        "token after the earlier occurrence. It is still weak (a score near 0.1, where a "
        "strong induction head is near 1), so its stripe is faint; the previous-token heads "
        "are clearer (see its model card). Open layer 0, head 2 and look one copy's length "
        "to the left of the diagonal."
    )

"""Pieces of /translate: the alignment, one decoder step opened up, step-through, comparisons.

The words follow the three steps of additive attention (Bahdanau, Cho and Bengio 2014): score
every source position against the decoder state, turn the scores into weights with a softmax,
and take the weighted sum of the encoder states as the context.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from attnviz.analysis.tokens import merge_key_pieces
from attnviz.attention import Run
from attnviz.figures import head_heatmap
from attnviz.figures.steps import (
    alignment_heatmap,
    context_figure,
    score_bars,
    top_next_bars,
    weight_bars,
)
from attnviz.figures.titles import Shown
from attnviz.models.tokens import detokenize
from attnviz.ui.cache import get_run
from attnviz.ui.safe_text import escape_markdown, show_error
from attnviz.ui.widgets import Download, column_width, file_stem, show_chart

SCORE_FORMULAS = {
    "additive": r"e_{ij} = v_a^\top \tanh\left(W_a\, s_{i-1} + U_a\, h_j\right)",
    "dot": r"e_{ij} = s_{i-1}^\top h_j",
    "general": r"e_{ij} = s_{i-1}^\top W_a\, h_j",
}
SCORE_NAMES = {
    "additive": "additive score (Bahdanau, Cho and Bengio 2014)",
    "dot": "dot score (Luong, Pham and Manning 2015), in Bahdanau's decoder",
    "general": "general score (Luong, Pham and Manning 2015), in Bahdanau's decoder",
}
SOFTMAX = r"\alpha_{ij} = \frac{\exp(e_{ij})}{\sum_{k} \exp(e_{ik})}"
CONTEXT = r"c_i = \sum_{j} \alpha_{ij}\, h_j"
INTRODUCTION = (
    "At every step the decoder asks which source words matter now. It **scores** each source "
    "position j against its state, turns the scores into **weights** that sum to 1 with a "
    "softmax, and reads the **weighted sum** of the encoder states, the context vector. "
    "Bahdanau, Cho and Bengio (2014) introduced this additive attention for translation; "
    "Luong, Pham and Manning (2015) proposed the multiplicative dot and general scores; "
    "Vaswani et al. (2017) built the Transformer from attention alone, with many heads."
)


def is_multihead(run: Run) -> bool:
    """Whether the run's cross-attention has several layers or heads (a Transformer's)."""
    return run.maps["cross"].weights.shape[:2] != (1, 1)


def cross_map(run: Run, layer: int | None = None, head: int | None = None) -> np.ndarray:
    """The run's alignment `[target, source]`: the only head of an RNN, or for a Transformer
    one head of a layer (the last one when `layer` is None), or the mean over the layer's
    heads when `head` is None."""
    weights = run.maps["cross"].weights  # [layer, head, target, source]
    if not is_multihead(run):
        return weights[0, 0]
    layer = weights.shape[0] - 1 if layer is None else layer
    return weights[layer].mean(axis=0) if head is None else weights[layer, head]


def which_heads(run: Run, layer: int | None = None, head: int | None = None) -> str:
    """What `cross_map(run, layer, head)` drew, for a title: "" for an RNN's one head, else
    "layer 2 · mean of its 4 heads" or "layer 2 · head 1"."""
    if not is_multihead(run):
        return ""
    n_layers, n_heads = run.maps["cross"].weights.shape[:2]
    layer = n_layers - 1 if layer is None else layer
    return f"layer {layer} · " + (
        f"mean of its {n_heads} heads" if head is None else f"head {head}"
    )


def mean_of_heads_note(run: Run) -> str:
    """A caption for a Transformer's alignment: which of its maps this is, and where the rest
    are."""
    n_layers, n_heads = run.maps["cross"].weights.shape[:2]
    return (
        f"{run.model} has no single alignment: its cross-attention has {n_heads} heads in each "
        f"of its {n_layers} layers. This is the last layer's (layer {n_layers - 1}), the mean "
        f"of its {n_heads} heads, so each row still sums to 1. *Heads* shows every head on its "
        "own; the scoring comparison below picks a layer and a head."
    )


def show_alignment(
    run: Run,
    weights: np.ndarray,
    step: int | None,
    on_pick: Callable[[], None],
    key: str,
    words: bool = False,
) -> None:
    """The alignment heatmap; a click on a row picks that decoder step.

    With `words`, a source word split into pieces is one column (its pieces' weights summed).
    """
    source_tokens = run.source_tokens
    if words:
        weights, source_tokens = merge_key_pieces(weights, source_tokens)
    title = (
        f"{run.model}: which source {'words' if words else 'tokens'} each output token attended to"
    )
    if is_multihead(run):  # the weights are cross_map(run): the last layer, its heads' mean
        title += " · " + which_heads(run)
    figure = alignment_heatmap(weights, run.target_tokens, source_tokens, title, step)
    matrix = (weights, run.target_tokens, source_tokens)
    # A translator's run is a few kilobytes: the menu may hold it.
    download = Download(file_stem(run.model, "alignment"), matrix, lambda: run)
    show_chart(figure, key, on_select=on_pick, download=download)


def show_step(run: Run, step: int) -> None:
    """One decoder step with the model's own numbers: scores, weights, context, output."""
    maps = run.maps["cross"]
    extras = run.extras
    if maps.scores is None or "encoder_states" not in extras:
        st.info("The step panel opens up RNN translators; this model attends with many heads.")
        return
    score = extras.get("score", "additive")
    weights, scores = maps.weights[0, 0, step], maps.scores[0, 0, step]
    emitted = run.target_tokens[step]
    st.markdown(
        f"**Step {step}**: the decoder emitted “{escape_markdown(emitted)}”. "
        f"{SCORE_NAMES.get(score, score)}:"
    )
    st.latex(SCORE_FORMULAS.get(score, ""))
    left, right = st.columns(2)
    half = Download(
        file_stem("translate", "step", step),
        shows=Shown(run.model, run.text),
        width=column_width(2),
    )
    with left:
        show_chart(score_bars(scores, run.source_tokens), "translate.scores", download=half)
    with right:
        st.latex(SOFTMAX)
        show_chart(weight_bars(weights, run.source_tokens), "translate.weights", download=half)
        st.caption(f"The weights sum to {float(weights.sum()):.4f}.")
    st.latex(CONTEXT)
    show_chart(
        context_figure(weights, extras["encoder_states"], run.source_tokens), "translate.context"
    )
    top = extras.get("top_next")
    if top:
        show_chart(top_next_bars(top[step], emitted), "translate.top_next")


def show_growing(run: Run, weights: np.ndarray, revealed: int, words: bool = False) -> None:
    """The translation and the alignment up to `revealed` output tokens.

    The text so far reads as words ("falso", "rápido."), not pieces; with `words`, the source
    axis too (a word's pieces summed, as in the alignment), while each row stays the piece
    that step emitted.
    """
    shown = run.target_tokens[:revealed]
    so_far = detokenize(shown)
    st.markdown("**So far:** " + (escape_markdown(so_far) if so_far else "…"))
    if revealed:
        source_tokens = run.source_tokens
        if words:
            weights, source_tokens = merge_key_pieces(weights, source_tokens)
        title = f"after {revealed} of {len(run.target_tokens)} steps"
        if is_multihead(run):
            title += " · " + which_heads(run)
        figure = head_heatmap(weights[:revealed], shown, source_tokens, title)
        show_chart(figure, "translate.growing")


def scoring_run(text: str, model: str) -> Run | None:
    """The run of one translator in the scoring comparison, or None with its error shown."""
    try:
        return get_run(model, text)
    except ValueError as error:
        show_error(str(error))
        return None


def show_scoring_map(text: str, model: str, layer: int, head: int | None, columns: int = 1) -> None:
    """One translator's alignment in the scoring comparison, with its translation under it.

    RNN translators have one head; a Transformer shows `layer`'s `head` (None: their mean).
    columns: how many maps share a row (the exported figure has the width drawn).
    """
    run = scoring_run(text, model)
    if run is None:
        return
    which = which_heads(run, layer, head)
    title = model + (f" · {which}" if which else "")
    figure = head_heatmap(cross_map(run, layer, head), run.target_tokens, run.source_tokens, title)
    download = Download(
        file_stem("translate", "compare", model),
        shows=Shown(model, text),
        width=column_width(columns),
    )
    show_chart(figure, f"translate.compare.{model}", download=download)
    st.caption(escape_markdown(run.output_text or ""))


def show_scoring_grid(text: str, models: list[str], layer: int, head: int | None) -> None:
    """Every translator's alignment of the same sentence on one colour scale, two to a row
    (four side by side are too narrow to read their labels)."""
    columns = [column for start in range(0, len(models), 2) for column in st.columns(2)]
    for column, model in zip(columns, models, strict=False):
        with column:
            show_scoring_map(text, model, layer, head, columns=2)

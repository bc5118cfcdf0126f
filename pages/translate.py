"""/translate: watch a translator attend, one decoder step at a time; and dates, by character."""

from __future__ import annotations

import streamlit as st

from attnviz.models.base import no_attention_sentence
from attnviz.models.registry import REGISTRY
from attnviz.ui import translate as sections
from attnviz.ui.cache import get_model, get_run
from attnviz.ui.controls import keep_in_range
from attnviz.ui.navigation import require_navigation
from attnviz.ui.presentation import copy_link_button, is_presenting, presentation_params
from attnviz.ui.safe_text import code_span, escape_markdown, show_error, show_info
from attnviz.ui.url import page_params, read_choice, read_flag, read_int, write_params
from attnviz.ui.widgets import clicked_key, show_notices

KEY = "translate"
TRANSLATORS = tuple(
    name
    for name in (
        "bahdanau-en-es",
        "luong-dot-en-es",
        "luong-general-en-es",
        "transformer-en-es",
        "rnnenc-en-es",
    )
    if name in REGISTRY
)
# The translators that attend (rnnenc-en-es, the baseline without attention, has no map).
ATTENDING = tuple(name for name in TRANSLATORS if REGISTRY[name].kinds)
DATES = "bahdanau-dates"
# Sentences the shipped translators get right (checked in tests/app/test_translate.py): a
# statement that reorders adjectives, a question, a negation, a request, a name and a number.
EXAMPLES = (
    "The black cat sleeps on the red sofa.",
    "Where is the train station?",
    "I don't like cold coffee.",
    "Can you open the window, please?",
    "Anna has 12 books.",
)
HONEST = (
    "These translators are small models (4 to 5 million weights) that attnviz trained on two "
    "CPU cores to show attention: they handle everyday sentences, names and numbers, and "
    "they still make mistakes, so they are no translation service."
)
DATE_EXAMPLES = ("Thursday, 27 November 2026", "11/27/26", "27.11.2026", "Nov 27th 2026")
MAX_BEAM = 5


def state(name: str) -> str:
    return f"{KEY}.{name}"


def read_url_once() -> None:
    """On a session's first visit, put the URL's model, text, step and beam into the widgets."""
    params = page_params(KEY, state("mode"))
    if params is None:
        return
    allowed = (*TRANSLATORS, DATES) if DATES in REGISTRY else TRANSLATORS
    model, model_note = read_choice(params, "model", allowed, TRANSLATORS[0])
    beam, beam_note = read_int(params, "beam", MAX_BEAM + 1, default=1)
    words, words_note = read_flag(params, "words", default=True)
    if beam == 0:
        beam, beam_note = 1, f"beam must be 1 to {MAX_BEAM}; showing beam 1."
    dates = model == DATES
    st.session_state[state("mode")] = "Dates" if dates else "English → Spanish"
    st.session_state[state("model")] = TRANSLATORS[0] if dates else model
    text = (params.get("text") or "")[:2_000]
    default = DATE_EXAMPLES[0] if dates else EXAMPLES[0]
    st.session_state[state("date" if dates else "text")] = text if text.strip() else default
    st.session_state[state("beam")] = beam
    st.session_state[state("words")] = words
    st.session_state[state("pending_step")] = params.get("step")
    st.session_state[state("pending_hyp")] = params.get("hyp")
    notes = [model_note, beam_note, words_note]
    st.session_state[state("notices")] = [note for note in notes if note]


def use_example(source: str, target: str) -> None:
    """Callback: copy the chosen example into the text box, and empty the picker again, so
    that choosing the same example after an edit is a change that brings it back."""
    example = st.session_state[state(source)]
    if example is not None:
        st.session_state[state(target)] = example
    st.session_state[state(source)] = None


def pick_step() -> None:
    """Callback: a click on a row of the alignment opens that decoder step."""
    key = clicked_key(state("alignment"))
    if key:
        st.session_state[state("step")] = key[0]


def step_control(run) -> int:
    """The target step slider (also set by clicking a row); applies a step from the URL once."""
    steps = tuple(range(len(run.target_tokens)))
    pending = st.session_state.pop(state("pending_step"), None)
    if pending is not None:
        st.session_state[state("step")], note = read_int({"step": pending}, "step", len(steps))
        show_notices([note] if note else [])
    keep_in_range(state("step"), steps, 0)
    if len(steps) == 1:
        return 0
    return int(
        st.select_slider(
            "Decoder step (or click a row of the alignment)",
            steps,
            key=state("step"),
            format_func=lambda i: f"{i}: {run.target_tokens[i]}",
        )
    )


TICK_SECONDS = 1.0  # one more token each tick while the step-through plays


def step_through(model: str, text: str, beam: int) -> None:
    """Play, step and reset: the translation appears token by token as the alignment grows.

    Only a playing step-through ticks: the fragment is declared with `run_every` while it
    plays and without it otherwise, so an idle session schedules no reruns. A full run
    declares it again (and the browser drops every earlier tick), so starting and stopping
    rerun the page once each.
    """
    playing = bool(st.session_state.get(state("playing")))
    tick = TICK_SECONDS if playing else None
    st.fragment(step_through_steps, run_every=tick)(model, text, beam)


def step_through_steps(model: str, text: str, beam: int) -> None:
    """The body of `step_through`: a tick reveals one more token; the buttons."""
    run = get_run(model, text, beam)
    total = len(run.target_tokens)
    revealed = st.session_state.setdefault(state("revealed"), 0)
    was_playing = bool(st.session_state.get(state("playing")))
    # The run that Play starts shows where it starts; the ticks after it advance.
    if was_playing and not st.session_state.pop(state("play_started"), False):
        revealed = min(total, revealed + 1)
    playing = was_playing and revealed < total
    columns = st.columns(3)
    if columns[0].button("▶ Play", key=state("play")):
        playing = True
        st.session_state[state("play_started")] = True
        if revealed >= total:
            revealed = 0
    if columns[1].button("⏭ Next step", key=state("next")):
        playing = False
        revealed = min(total, revealed + 1)
    if columns[2].button("⏮ Reset", key=state("reset")):
        playing = False
        revealed = 0
    st.session_state[state("revealed")] = revealed
    if playing != was_playing:
        st.session_state[state("playing")] = playing
        st.rerun()  # the whole page: the fragment is declared again, with or without a tick
    words = bool(st.session_state.get(state("words"), True))
    sections.show_growing(run, sections.cross_map(run), revealed, words=words)


def hypothesis_choice(model: str, text: str, beam: int) -> int:
    """With beam > 1, the hypotheses beam search kept, to choose from (0 is the best)."""
    if beam == 1:
        st.session_state[state("hyp")] = 0
        return 0
    try:
        hypotheses = get_run(model, text, beam).extras.get("hypotheses", [])
    except ValueError:
        return 0
    pending = st.session_state.pop(state("pending_hyp"), None)
    if pending is not None:
        st.session_state[state("hyp")], note = read_int({"hyp": pending}, "hyp", len(hypotheses))
        show_notices([note] if note else [])
    keep_in_range(state("hyp"), tuple(range(len(hypotheses))), 0)
    return int(
        st.radio(
            "Beam search's hypotheses (mean log-probability per token)",
            range(len(hypotheses)),
            key=state("hyp"),
            format_func=lambda i: (
                f"{escape_markdown(hypotheses[i]['text'])}  ({hypotheses[i]['score']:.3f})"
            ),
        )
    )


def translator_view() -> dict[str, object]:
    """The English-Spanish translators; returns the URL state."""
    st.caption(HONEST)
    columns = st.columns([2, 3, 1])
    model = columns[0].selectbox("Translator", TRANSLATORS, key=state("model"))
    columns[1].selectbox(
        "Examples",
        EXAMPLES,
        key=state("example"),
        index=None,
        placeholder="Try an example sentence",
        on_change=use_example,
        args=("example", "text"),
    )
    beam = columns[2].number_input("Beam width", 1, MAX_BEAM, key=state("beam"))
    text = st.text_input("English sentence", key=state("text"), max_chars=2_000)
    values: dict[str, object] = {"model": model, "text": text, "beam": beam}
    if not text.strip():
        st.warning("The text is empty; type an English sentence.")
        return values
    try:
        run = get_run(model, text, int(beam), (), hypothesis_choice(model, text, int(beam)))
    except ValueError as error:
        show_error(str(error))
        return values
    show_notices(run.notes)
    st.markdown(f"**Translation:** {escape_markdown(run.output_text)}")
    if not run.maps:  # rnnenc-en-es: say why there is nothing to draw
        show_info(no_attention_sentence(model))
        return values
    if run.extras.get("hypotheses"):
        values["hyp"] = st.session_state[state("hyp")]
    step = step_control(run)
    values["step"] = step
    st.session_state.setdefault(state("words"), True)
    words = st.checkbox(
        "Whole source words (a word split into pieces is one column: its weights summed)",
        key=state("words"),
    )
    values["words"] = None if words else 0
    sections.show_alignment(
        run, sections.cross_map(run), step, pick_step, state("alignment"), words=words
    )
    if sections.is_multihead(run):
        st.caption(sections.mean_of_heads_note(run))
    with st.container(border=True):
        sections.show_step(run, step)
    with st.expander("Step through the decoding, token by token"):
        step_through(model, text, int(beam))
    with st.expander("Compare scoring functions on this sentence"):
        comparison_view(text)
    return values


LAYOUTS = ("Two to a row", "One at a time")


def comparison_view(text: str) -> None:
    """Additive, dot and general scores, and the Transformer's cross-attention: two to a row,
    or one at a time at full width (the default in presentation mode, where two maps of a long
    sentence are too narrow for their labels)."""
    layer, head = 0, None
    if "transformer-en-es" in TRANSLATORS:
        columns = st.columns(2)
        info = get_model("transformer-en-es").info
        layers = tuple(range(info.layers["cross"]))
        heads = ("mean", *range(info.heads["cross"]))
        layer = columns[0].selectbox(
            "Transformer layer", layers, index=len(layers) - 1, key=state("t_layer")
        )
        choice = columns[1].selectbox(
            "Transformer heads",
            heads,
            key=state("t_head"),
            format_func=lambda value: "mean of its heads" if value == "mean" else str(value),
        )
        head = None if choice == "mean" else int(choice)
    # Each mode keeps its own choice: turning presentation mode on shows one map at a time.
    presenting = is_presenting()
    layout = st.radio(
        "Layout",
        LAYOUTS,
        index=1 if presenting else 0,
        key=state("compare_layout.room" if presenting else "compare_layout"),
        horizontal=True,
    )
    if layout == LAYOUTS[0]:
        sections.show_scoring_grid(text, list(ATTENDING), layer, head)
        return
    model = st.radio("Translator", ATTENDING, key=state("compare_one"), horizontal=True)
    sections.show_scoring_map(text, model, layer, head)


def dates_view() -> dict[str, object]:
    """The character-level date normaliser."""
    st.session_state.setdefault(state("date"), DATE_EXAMPLES[0])
    st.selectbox(
        "Examples",
        DATE_EXAMPLES,
        key=state("date_example"),
        index=None,
        placeholder="Try a date",
        on_change=use_example,
        args=("date_example", "date"),
    )
    text = st.text_input("A date, in any format", key=state("date"), max_chars=200)
    values: dict[str, object] = {"model": DATES, "text": text}
    if not text.strip():
        st.warning("The text is empty; type a date.")
        return values
    try:
        run = get_run(DATES, text)
    except ValueError as error:
        show_error(str(error))
        return values
    show_notices(run.notes)
    st.markdown(f"**Normalised:** {code_span(run.output_text)}")
    step = step_control(run)
    values["step"] = step
    sections.show_alignment(run, sections.cross_map(run), step, pick_step, state("alignment"))
    st.caption(
        "Each output character's row shows which input characters it read: the year's "
        "digits attend to the year, the month's to the month name or number."
    )
    with st.container(border=True):
        sections.show_step(run, step)
    return values


def main() -> None:
    st.title("Translate")
    copy_link_button()
    read_url_once()
    show_notices(st.session_state.pop(state("notices"), []))
    st.markdown(sections.INTRODUCTION)
    modes = ("English → Spanish", "Dates") if DATES in REGISTRY else ("English → Spanish",)
    mode = st.radio("What to translate", modes, key=state("mode"), horizontal=True)
    values = dates_view() if mode == "Dates" else translator_view()
    write_params({**values, **presentation_params()}, KEY)


require_navigation()
main()

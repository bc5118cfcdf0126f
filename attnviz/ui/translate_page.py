"""/translate's state and controls: `TranslateView`, its widgets, callbacks and step-through.

The figures of the page (alignment, one decoder step, the growing map, the scoring
comparison) are in `attnviz.ui.translate`; this module holds what the page reads and keeps.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import streamlit as st

from attnviz.attention import Run
from attnviz.models.base import no_attention_sentence
from attnviz.models.registry import REGISTRY
from attnviz.ui import translate as sections
from attnviz.ui.cache import get_model, get_run
from attnviz.ui.clickable_chart import clicked_point
from attnviz.ui.controls import keep_in_range
from attnviz.ui.presentation import is_presenting
from attnviz.ui.safe_text import code_span, escape_markdown, show_error, show_info
from attnviz.ui.url import page_params, read_choice, read_flag, read_int
from attnviz.ui.view_state import PageView, check_index
from attnviz.ui.widgets import show_notices

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
MODELS = (*TRANSLATORS, DATES) if DATES in REGISTRY else TRANSLATORS
ENGLISH, DATES_MODE = "English → Spanish", "Dates"
MODES = (ENGLISH, DATES_MODE) if DATES in REGISTRY else (ENGLISH,)
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
DATES_CAPTION = (
    "Each output character's row shows which input characters it read: the year's "
    "digits attend to the year, the month's to the month name or number."
)
MAX_BEAM = 5
MAX_CHARS = 2_000  # of a sentence
MAX_DATE_CHARS = 200
TICK_SECONDS = 1.0  # one more token each tick while the step-through plays
LAYOUTS = ("Two to a row", "One at a time")


@dataclasses.dataclass(frozen=True)
class TranslateView(PageView):
    """What /translate shows; in the URL under the field names, `words` as 0 when off.

    A date's model is `DATES`: the page is then in its Dates mode, the text is the date
    (widget "translate.date") and the URL leaves out beam, hyp and words. `hyp`, `step` and
    `words` are None until the run they index is drawn (the URL's are read then, once).
    """

    PAGE = "translate"

    model: str = MODELS[0]  # one of MODELS
    text: str = EXAMPLES[0]  # the English sentence, or the date
    beam: int = 1  # 1..MAX_BEAM
    hyp: int | None = None  # the beam's hypothesis shown (0 is the best); None without a beam
    step: int | None = None  # the decoder step opened up
    words: bool | None = None  # a word's pieces as one column of the alignment

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"model must be one of {', '.join(MODELS)}, not {self.model!r}.")
        if not isinstance(self.text, str):
            raise ValueError(f"text must be text, not {self.text!r}.")
        if self.beam not in range(1, MAX_BEAM + 1):
            raise ValueError(f"beam must be from 1 to {MAX_BEAM}, not {self.beam!r}.")
        check_index("hyp", self.hyp)
        check_index("step", self.step)
        if self.words not in (None, True, False):
            raise ValueError(f"words must be True, False or None, not {self.words!r}.")

    @property
    def dates(self) -> bool:
        return self.model == DATES

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> tuple[TranslateView, list[str]]:
        """The view a URL asks for (its step and hyp are read once the run is known: see
        `keep_pending`), and a notice for each value replaced by its default."""
        model, model_note = read_choice(params, "model", MODELS, TRANSLATORS[0])
        beam, beam_note = read_int(params, "beam", MAX_BEAM + 1, default=1, lowest=1)
        words, words_note = read_flag(params, "words", default=True)
        text = (params.get("text") or "")[:MAX_CHARS]
        default = DATE_EXAMPLES[0] if model == DATES else EXAMPLES[0]
        view = cls(model, text if text.strip() else default, beam, words=words)
        return view, [note for note in (model_note, beam_note, words_note) if note]

    def to_url(self) -> dict[str, object]:
        if self.dates:
            url = {"model": self.model, "text": self.text, "step": self.step}
        else:
            url = dataclasses.asdict(self) | {"words": 0 if self.words is False else None}
        return {name: value for name, value in url.items() if value is not None}

    def into_widgets(self, skip: tuple[str, ...] = ()) -> None:
        """The mode follows the model; a date goes to the date's box, and the translator's
        picker to the first translator."""
        st.session_state[MODE] = DATES_MODE if self.dates else ENGLISH
        if self.dates:
            st.session_state[self.key("model")] = TRANSLATORS[0]
            st.session_state[DATE] = self.text
            skip = (*skip, "model", "text")
        super().into_widgets(skip=skip)


def page_key(name: str) -> str:
    """The key of a widget or value the page keeps that is not a field of the view."""
    return TranslateView.state_key(name)


MODE, DATE, ALIGNMENT = page_key("mode"), page_key("date"), page_key("alignment")
PENDING_STEP, PENDING_HYP = page_key("pending_step"), page_key("pending_hyp")
REVEALED, PLAYING, PLAY_STARTED = (
    page_key("revealed"),
    page_key("playing"),
    page_key("play_started"),
)


def read_url_once() -> list[str]:
    """On a session's first visit, put the URL's view into the widgets; returns the notices."""
    params = page_params(TranslateView.PAGE, MODE)
    if params is None:
        return []
    view, notices = TranslateView.from_url(params)
    view.into_widgets()
    st.session_state[PENDING_STEP] = params.get("step")
    st.session_state[PENDING_HYP] = params.get("hyp")
    return notices


def mode_picker() -> str:
    return st.radio("What to translate", MODES, key=MODE, horizontal=True)


def use_example(source: str, target: str) -> None:
    """Callback: copy the chosen example into the text box, and empty the picker again, so
    that choosing the same example after an edit is a change that brings it back."""
    example = st.session_state[source]
    if example is not None:
        st.session_state[target] = example
    st.session_state[source] = None


def pick_step() -> None:
    """Callback: a click on a row of the alignment opens that decoder step."""
    picked = clicked_point(ALIGNMENT)
    if picked:
        st.session_state[TranslateView.key("step")] = picked[0]


def apply_pending(pending_key: str, name: str, count: int) -> None:
    """Put the URL's value of field `name` (kept under `pending_key`) into its widget once,
    now that the run says how many values there are."""
    pending = st.session_state.pop(pending_key, None)
    if pending is not None:
        st.session_state[TranslateView.key(name)], note = read_int({name: pending}, name, count)
        show_notices([note] if note else [])


def translator_controls() -> TranslateView:
    """The honest caption, the translator, the examples, the beam width and the sentence."""
    st.caption(HONEST)
    columns = st.columns([2, 3, 1])
    model = columns[0].selectbox("Translator", TRANSLATORS, key=TranslateView.key("model"))
    columns[1].selectbox(
        "Examples",
        EXAMPLES,
        key=page_key("example"),
        index=None,
        placeholder="Try an example sentence",
        on_change=use_example,
        args=(page_key("example"), TranslateView.key("text")),
    )
    beam = columns[2].number_input("Beam width", 1, MAX_BEAM, key=TranslateView.key("beam"))
    text = st.text_input("English sentence", key=TranslateView.key("text"), max_chars=MAX_CHARS)
    return TranslateView(model, text, int(beam))


def hypothesis_choice(view: TranslateView) -> int:
    """With beam > 1, the hypotheses beam search kept, to choose from (0 is the best)."""
    if view.beam == 1:
        st.session_state[TranslateView.key("hyp")] = 0
        return 0
    try:
        hypotheses = get_run(view.model, view.text, view.beam).extras.get("hypotheses", [])
    except ValueError:
        return 0
    apply_pending(PENDING_HYP, "hyp", len(hypotheses))
    keep_in_range(TranslateView.key("hyp"), tuple(range(len(hypotheses))), 0)
    return int(
        st.radio(
            "Beam search's hypotheses (mean log-probability per token)",
            range(len(hypotheses)),
            key=TranslateView.key("hyp"),
            format_func=lambda i: (
                f"{escape_markdown(hypotheses[i]['text'])}  ({hypotheses[i]['score']:.3f})"
            ),
        )
    )


def translation_run(view: TranslateView, hypothesis: int) -> Run | None:
    """The run of the view's translator, its notes and its translation shown; None when it
    failed or has no alignment to draw (the reason shown)."""
    try:
        run = get_run(view.model, view.text, view.beam, (), hypothesis)
    except ValueError as error:
        show_error(str(error))
        return None
    show_notices(run.notes)
    st.markdown(f"**Translation:** {escape_markdown(run.output_text)}")
    if not run.maps:  # rnnenc-en-es: say why there is nothing to draw
        show_info(no_attention_sentence(view.model))
        return None
    return run


def step_control(run: Run) -> int:
    """The target step slider (also set by clicking a row); applies a step from the URL once."""
    steps = tuple(range(len(run.target_tokens)))
    apply_pending(PENDING_STEP, "step", len(steps))
    keep_in_range(TranslateView.key("step"), steps, 0)
    if len(steps) == 1:
        return 0
    return int(
        st.select_slider(
            "Decoder step (or click a row of the alignment)",
            steps,
            key=TranslateView.key("step"),
            format_func=lambda i: f"{i}: {run.target_tokens[i]}",
        )
    )


def with_step(view: TranslateView, run: Run) -> TranslateView:
    """The view with the decoder step chosen (a date's page has only the step)."""
    return dataclasses.replace(view, step=step_control(run))


def with_alignment(view: TranslateView, run: Run) -> TranslateView:
    """The view with the hypothesis shown, the step and the whole-words choice."""
    hyp = st.session_state[TranslateView.key("hyp")] if run.extras.get("hypotheses") else None
    step = step_control(run)
    st.session_state.setdefault(TranslateView.key("words"), True)
    words = st.checkbox(
        "Whole source words (a word split into pieces is one column: its weights summed)",
        key=TranslateView.key("words"),
    )
    return dataclasses.replace(view, hyp=hyp, step=step, words=bool(words))


def step_through(view: TranslateView) -> None:
    """Play, step and reset: the translation appears token by token as the alignment grows.

    Only a playing step-through ticks: the fragment is declared with `run_every` while it
    plays and without it otherwise, so an idle session schedules no reruns. A full run
    declares it again (and the browser drops every earlier tick), so starting and stopping
    rerun the page once each.
    """
    tick = TICK_SECONDS if st.session_state.get(PLAYING) else None
    words = bool(view.words)
    st.fragment(step_through_steps, run_every=tick)(view.model, view.text, view.beam, words)


def step_through_steps(model: str, text: str, beam: int, words: bool) -> None:
    """The body of `step_through`: a tick reveals one more token; the buttons."""
    run = get_run(model, text, beam)
    total = len(run.target_tokens)
    revealed = st.session_state.setdefault(REVEALED, 0)
    was_playing = bool(st.session_state.get(PLAYING))
    # The run that Play starts shows where it starts; the ticks after it advance.
    if was_playing and not st.session_state.pop(PLAY_STARTED, False):
        revealed = min(total, revealed + 1)
    playing = was_playing and revealed < total
    columns = st.columns(3)
    if columns[0].button("▶ Play", key=page_key("play")):
        playing = True
        st.session_state[PLAY_STARTED] = True
        if revealed >= total:
            revealed = 0
    if columns[1].button("⏭ Next step", key=page_key("next")):
        playing = False
        revealed = min(total, revealed + 1)
    if columns[2].button("⏮ Reset", key=page_key("reset")):
        playing = False
        revealed = 0
    st.session_state[REVEALED] = revealed
    if playing != was_playing:
        st.session_state[PLAYING] = playing
        st.rerun()  # the whole page: the fragment is declared again, with or without a tick
    sections.show_growing(run, sections.cross_map(run), revealed, words=words)


def transformer_head() -> tuple[int, int | None]:
    """The Transformer's layer and head for the scoring comparison (None: their mean)."""
    if "transformer-en-es" not in TRANSLATORS:
        return 0, None
    columns = st.columns(2)
    info = get_model("transformer-en-es").info
    layers = tuple(range(info.layers["cross"]))
    heads = ("mean", *range(info.heads["cross"]))
    layer = columns[0].selectbox(
        "Transformer layer", layers, index=len(layers) - 1, key=page_key("t_layer")
    )
    choice = columns[1].selectbox(
        "Transformer heads",
        heads,
        key=page_key("t_head"),
        format_func=lambda value: "mean of its heads" if value == "mean" else str(value),
    )
    return layer, None if choice == "mean" else int(choice)


def comparison_view(text: str) -> None:
    """Additive, dot and general scores, and the Transformer's cross-attention: two to a row,
    or one at a time at full width (the default in presentation mode, where two maps of a long
    sentence are too narrow for their labels)."""
    layer, head = transformer_head()
    # Each mode keeps its own choice: turning presentation mode on shows one map at a time.
    presenting = is_presenting()
    layout = st.radio(
        "Layout",
        LAYOUTS,
        index=1 if presenting else 0,
        key=page_key("compare_layout.room" if presenting else "compare_layout"),
        horizontal=True,
    )
    if layout == LAYOUTS[0]:
        sections.show_scoring_grid(text, list(ATTENDING), layer, head)
        return
    model = st.radio("Translator", ATTENDING, key=page_key("compare_one"), horizontal=True)
    sections.show_scoring_map(text, model, layer, head)


def date_controls() -> TranslateView:
    """The date examples and the date's box."""
    st.session_state.setdefault(DATE, DATE_EXAMPLES[0])
    st.selectbox(
        "Examples",
        DATE_EXAMPLES,
        key=page_key("date_example"),
        index=None,
        placeholder="Try a date",
        on_change=use_example,
        args=(page_key("date_example"), DATE),
    )
    text = st.text_input("A date, in any format", key=DATE, max_chars=MAX_DATE_CHARS)
    return TranslateView(DATES, text)


def date_run(view: TranslateView) -> Run | None:
    """The date normaliser's run with its output shown, or None with the error shown."""
    try:
        run = get_run(DATES, view.text)
    except ValueError as error:
        show_error(str(error))
        return None
    show_notices(run.notes)
    st.markdown(f"**Normalised:** {code_span(run.output_text)}")
    return run

"""/classroom's live training: train `bahdanau-dates` and watch its attention sharpen.

Each session trains its own fresh model (never the shared shipped one) in a background thread
with one torch thread and a time budget of at most a minute. At most `MAX_RUNS` runs train at
once in the server process: on 2 cores one run fills one core, and the other must stay free
for every other session's reruns; a second run would also starve the first of the core it
needs to reach 99% within its budget. A run nobody has looked at for `ABANDONED_AFTER`
seconds (its tab was closed) stops and frees its place. The page polls the run once a second
with a fragment.

The training machinery is in `attnviz.training.live`; the process's places for runs are
`attnviz.ui.cache.training_slots`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from attnviz.figures import head_heatmap
from attnviz.models.rnn import RNNModel
from attnviz.training.live import (
    DEFAULT_SECONDS,
    TRAINING_PAIRS,
    LiveTraining,
    Snapshot,
    TrainingView,
    date_problem,
)
from attnviz.ui import lessons
from attnviz.ui.cache import training_slots
from attnviz.ui.safe_text import show_error, show_warning
from attnviz.ui.url import page_params, read_choice
from attnviz.ui.view_state import PageView
from attnviz.ui.widgets import show_chart

DEFAULT_DATE = "Thursday, 27 November 2026"
MAX_URL_DATE = 200  # characters of a URL's date that reach the text field
SECONDS_CHOICES = (10, 20, 30, 45, 60)
POLL_SECONDS = 1.0
ENDINGS = {
    "reached": "Reached the target on held-out dates",
    "out_of_time": "The time budget ran out",
    "stopped": "Stopped",
    "abandoned": "Stopped because nobody was watching",
}


@dataclasses.dataclass(frozen=True)
class ClassroomView(PageView):
    """What /classroom shows: the date to watch, the time budget and the lesson.

    In the URL: `text` (the date), `seconds` (left out at the default) and `lesson`.
    """

    PAGE = "classroom"

    date: str = DEFAULT_DATE  # the date whose alignment is drawn while the model learns
    seconds: int = DEFAULT_SECONDS  # the training's time budget, one of SECONDS_CHOICES
    lesson: str = lessons.DEFAULT_LESSON  # a name of lessons.LESSONS

    def __post_init__(self) -> None:
        if not isinstance(self.date, str):
            raise ValueError(f"date must be text, not {self.date!r}.")
        if self.seconds not in SECONDS_CHOICES:
            raise ValueError(f"seconds must be one of {SECONDS_CHOICES}, not {self.seconds!r}.")
        if self.lesson not in lessons.LESSONS:
            names = ", ".join(lessons.LESSONS)
            raise ValueError(f"lesson {self.lesson!r} does not exist; the lessons are {names}.")

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> tuple[ClassroomView, list[str]]:
        """The view a URL asks for, and a notice for each value replaced by its default."""
        text = params.get("text", "")[:MAX_URL_DATE]
        allowed = tuple(str(seconds) for seconds in SECONDS_CHOICES)
        seconds, seconds_note = read_choice(params, "seconds", allowed, str(DEFAULT_SECONDS))
        lesson, lesson_note = read_choice(
            params, "lesson", tuple(lessons.LESSONS), lessons.DEFAULT_LESSON
        )
        view = cls(text if text.strip() else DEFAULT_DATE, int(seconds), lesson)
        return view, [note for note in (seconds_note, lesson_note) if note]

    def to_url(self) -> dict[str, object]:
        seconds = {"seconds": self.seconds} if self.seconds != DEFAULT_SECONDS else {}
        return {"text": self.date, "lesson": self.lesson} | seconds


TRAINING = ClassroomView.state_key("training")  # this session's LiveTraining
BUSY = ClassroomView.state_key("busy")  # why Start found no free place, for the next run
SHOWN_RUN = ClassroomView.state_key("shown_run")  # the run whose snapshots the slider shows
SNAPSHOT = ClassroomView.state_key("snapshot")  # the slider's snapshot index


def read_url_once() -> list[str]:
    """On a session's first visit, put the URL's view into the widgets; returns the notices."""
    params = page_params(ClassroomView.PAGE, ClassroomView.key("date"))
    if params is None:
        return []
    view, notices = ClassroomView.from_url(params)
    view.into_widgets()
    return notices


def start_training() -> None:
    """Callback of Start: a fresh run for this session, if a place is free."""
    old = st.session_state.get(TRAINING)
    if old is not None and old.view().running:
        return
    view = ClassroomView.from_widgets()
    slots = training_slots()
    run = LiveTraining(view.date, view.seconds, on_finish=slots.release)
    if not slots.claim(run):
        wait = slots.seconds_until_free()
        st.session_state[BUSY] = (
            "Another session is training right now; one run at a time keeps the app "
            f"responsive for everyone. Try again in about {wait + 5:.0f} s."
        )
        return
    run.start()
    st.session_state[TRAINING] = run


def stop_training() -> None:
    """Callback of Stop: stop after the current step and wait for the last snapshot."""
    run = st.session_state.get(TRAINING)
    if run is not None:
        run.stop()


def alignment_figure(snapshot: Snapshot, date: str) -> go.Figure:
    output = snapshot.output_text or "(nothing yet)"
    title = f"step {snapshot.step}: {date} → {output}"
    return head_heatmap(snapshot.weights, snapshot.target_tokens, snapshot.source_tokens, title)


def figures_text(loss: float, accuracy: float | None) -> str:
    """ "loss 0.123 · held-out exact 98.5%", with dashes for what is not known yet."""
    loss_text = "—" if np.isnan(loss) else f"{loss:.3f}"
    exact = "not measured yet" if accuracy is None else f"{accuracy:.1%}"
    return f"loss {loss_text} · held-out exact {exact}"


def progress_text(view: TrainingView) -> str:
    progress = view.progress
    figures = figures_text(progress.get("loss", float("nan")), progress.get("accuracy"))
    return f"step {progress['step']} · {view.elapsed:.0f} s of {view.seconds:.0f} s · {figures}"


def show_progress(run: LiveTraining) -> None:
    """The live view: progress bar, figures so far, the latest alignment."""
    run.seen()
    view = run.view()
    if view.status == "preparing":
        st.progress(0.0, text=f"Preparing {TRAINING_PAIRS:,} training dates…")
    else:
        fraction = min(1.0, view.elapsed / view.seconds)
        st.progress(fraction, text="Training: " + progress_text(view))
    if view.snapshots:
        figure = alignment_figure(view.snapshots[-1], run.date)
        show_chart(figure, ClassroomView.state_key("live_figure"))
    if not view.running:
        st.rerun()  # the whole page: show the results and the snapshot slider


def show_results(run: LiveTraining) -> None:
    """After a run: how it ended, a slider through the snapshots, the model on any date."""
    view = run.view()
    if view.status == "failed":
        show_error(f"Training failed ({view.error}).")
        return
    st.success(f"{ENDINGS[view.status]}: {progress_text(view)}.")
    snapshots = view.snapshots
    if st.session_state.get(SHOWN_RUN) != run.started:  # a new run: its last step
        st.session_state[SHOWN_RUN] = run.started
        st.session_state[SNAPSHOT] = len(snapshots) - 1
    index = st.select_slider(
        "Scrub through training (saved snapshots)",
        options=range(len(snapshots)),
        key=SNAPSHOT,
        format_func=lambda i: f"step {snapshots[i].step}",
    )
    shown = snapshots[index]
    st.caption(
        f"At step {shown.step} ({shown.seconds:.0f} s): {figures_text(shown.loss, shown.accuracy)}."
        " Each row is one output character; it shows which input characters the decoder "
        "looked at while writing it."
    )
    figure = alignment_figure(shown, run.date)
    show_chart(figure, ClassroomView.state_key("snapshot_figure"))
    if run.model is not None:
        try_trained_model(run.model)


def try_trained_model(model: RNNModel) -> None:
    """The trained model on any date the student types."""
    st.subheader("Try the model you trained")
    text = st.text_input(
        "Another date", key=ClassroomView.state_key("try"), placeholder="e.g. 3/14/15"
    )
    if not text.strip():
        return
    problem = date_problem(text)
    if problem:
        show_error(problem)
        return
    result = model.run(text)
    maps = result.maps["cross"]
    title = f"{result.text} → {result.output_text}"
    figure = head_heatmap(maps.head(0, 0), maps.query_tokens, maps.key_tokens, title)
    show_chart(figure, ClassroomView.state_key("try_figure"))


def training_controls(run: LiveTraining | None) -> str | None:
    """Date, budget, Start and Stop; returns why the date cannot be used, or None."""
    running = run is not None and run.view().running
    date = st.text_input(
        "A date to watch while the model learns", key=ClassroomView.key("date"), disabled=running
    )
    st.select_slider(
        "Time budget (seconds)",
        SECONDS_CHOICES,
        key=ClassroomView.key("seconds"),
        disabled=running,
    )
    problem = date_problem(date)
    left, right = st.columns(2)
    left.button(
        "Start training",
        type="primary",
        on_click=start_training,
        disabled=running or problem is not None,
        width="stretch",
    )
    right.button("Stop", on_click=stop_training, disabled=not running, width="stretch")
    return problem


def training_section() -> None:
    """The controls, then the run: an invitation, its live progress, or its results."""
    run = st.session_state.get(TRAINING)
    problem = training_controls(run)
    if problem:
        show_warning(problem)
    if busy := st.session_state.pop(BUSY, None):
        show_warning(busy)
    if run is None:
        st.info("Press **Start training**: a fresh model learns for up to a minute.")
    elif run.view().running:
        st.fragment(show_progress, run_every=POLL_SECONDS)(run)
    else:
        show_results(run)


def lesson_section() -> str:
    """The lesson picker (field `lesson`) and the chosen lesson; returns its name."""
    return lessons.lesson_picker(ClassroomView.key("lesson"))

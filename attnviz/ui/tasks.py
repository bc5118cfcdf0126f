"""Pieces of /tasks: a sentiment classifier's or a memory network's attention, read at a glance.

Attention pooling (Yang et al. 2016) gives one weight per word: which words the summary of
the sentence is made of. MiniLM has no single pooling query, so its [CLS] row of one head,
and the rollout over all layers (Abnar and Zuidema 2020), stand in for it. A memory network
(Sukhbaatar et al. 2015) attends over the story's sentences once per hop.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from urllib.parse import urlencode

import numpy as np
import streamlit as st

from attnviz.analysis import attention_rollout
from attnviz.attention import Run
from attnviz.figures.tasks import memory_heatmap, probability_bars, shaded_words, weight_bars
from attnviz.models.registry import REGISTRY
from attnviz.ui.cache import get_model, get_run
from attnviz.ui.controls import keep_in_range
from attnviz.ui.safe_text import escape_markdown, show_error, show_info
from attnviz.ui.url import page_params, read_choice
from attnviz.ui.view_state import PageView, check_index, keep_pending_head, layer_head_pickers
from attnviz.ui.widgets import Download, file_stem, show_chart

SENTIMENT = "Sentiment analysis"
QA = "Question answering"
TASKS = (SENTIMENT, QA)
SENTIMENT_MODELS = ("sentiment-bigru", "sentiment-minilm")
SENTIMENT_CHOICES = tuple(name for name in SENTIMENT_MODELS if name in REGISTRY)
MINILM = "sentiment-minilm"  # a Transformer: one head's [CLS] row instead of a pooling query
QA_MODEL = "qa-memnet"
MODELS = (*SENTIMENT_CHOICES, QA_MODEL)
REVIEW_EXAMPLES = (
    "The food was delicious and the staff were friendly.",
    "The movie was boring and far too long.",
    "I expected to hate it, but the acting was wonderful.",
    "Not bad at all, though the ending drags.",
    "The charger stopped working after a week.",
    "A moving, funny and beautifully acted film.",
)
STORY_EXAMPLES = (
    "Mary moved to the bathroom. John went to the hallway. Mary travelled to the office. "
    "Where is Mary?",
    "John went to the kitchen. John picked up the milk. Sandra moved to the garden. "
    "John travelled to the office. Where is the milk?",
    "Daniel journeyed to the bedroom. Sandra went back to the kitchen. Daniel moved to the "
    "garden. Is Daniel in the bedroom?",
    "Sandra went to the hallway. Then she journeyed to the bathroom. Where is Sandra?",
    "Mary and Daniel went to the kitchen. Daniel moved to the office. Where is Mary?",
)
MAX_CHARS = 2_000
SENTIMENT_INTRODUCTION = (
    "A classifier that attends reads every word, then asks one question of the whole "
    "sentence: *which words decide its sentiment?* In **attention pooling** (Yang et al. "
    "2016) a learned query scores each word's encoder state; a softmax turns the scores into "
    "weights that sum to 1, and the weighted sum of the states is classified. The shading "
    "shows those weights: the words the model built its verdict from."
)
MINILM_NOTE = (
    "MiniLM has no single pooling query: its head reads the mean of the last layer's states. "
    "The **[CLS] row** of one head shows what that position attends to in that layer; the "
    "**rollout** (Abnar and Zuidema 2020) multiplies the head-averaged maps of every layer, "
    "adding the residual connection, to trace what [CLS] draws on from the input words."
)
QA_INTRODUCTION = (
    "An **end-to-end memory network** (Sukhbaatar et al. 2015) stores each sentence of the "
    "story as a memory. The question becomes a query; in each of three **hops** the query "
    "scores every memory, a softmax turns the scores into weights, and the weighted sum of "
    "the memories is added to the query before the next hop. After the last hop it picks the "
    "answer. Each column below is one hop: outlined is the sentence it attended to most."
)


def show_notes(run: Run) -> None:
    """The run's notes (words outside the vocabulary, a cut text), escaped: they quote the user."""
    for note in run.notes:
        show_info(note)


def show_prediction(run: Run, what: str) -> None:
    """The label or answer in large type, with its probability."""
    chances = run.probabilities or {}
    label = run.output_text or ""
    chance = chances.get(label)
    shown = escape_markdown(label)
    suffix = f" (probability {chance:.1%})" if chance is not None else ""
    st.markdown(f"### {what}: **{shown}**{suffix}")


def show_probabilities(run: Run, key: str, title: str) -> None:
    if run.probabilities:
        show_chart(probability_bars(run.probabilities, title), key)


def pooling_view(run: Run, key: str) -> None:
    """sentiment-bigru: the words shaded by their pooling weight, the bars and the scores."""
    maps = run.maps["pooling"]
    weights = maps.weights[0, 0, 0]  # [token]
    tokens = maps.key_tokens
    title = "Attention pooling: how much each word counts in the summary"
    download = Download(
        file_stem(run.model, "pooling"), (maps.weights[0, 0], ("[summary]",), tokens), lambda: run
    )
    show_chart(shaded_words(weights, tokens, title), f"{key}.words", download=download)
    top = np.argsort(-weights)[:3]
    words = ", ".join(f"“{escape_markdown(tokens[i])}” ({weights[i]:.2f})" for i in top)
    st.caption(f"Heaviest words: {words}. The weights sum to {float(weights.sum()):.4f}.")
    left, right = st.columns(2)
    with left:
        show_chart(
            weight_bars(weights, tokens, "Pooling weights α (softmax of the scores)"), f"{key}.bars"
        )
    with right:
        if maps.scores is not None:
            show_chart(
                weight_bars(
                    maps.scores[0, 0, 0], tokens, "Scores u·tanh(W h + b), before the softmax"
                ),
                f"{key}.scores",
            )


def cls_rollout(run: Run) -> np.ndarray:
    """The rollout's [CLS] row `[token]` over all layers of the run's encoder."""
    weights = run.maps["encoder_self"].weights  # [layer, head, query, key]
    return attention_rollout(weights, weights.shape[0] - 1)[0]


def heads_link(model: str, text: str, layer: int, head: int) -> str:
    """The /heads URL that opens this model, text and head."""
    query = {"model": model, "text": text, "kind": "encoder_self", "layer": layer, "head": head}
    return "/heads?" + urlencode(query)


def minilm_view(run: Run, layer: int, head: int, key: str) -> None:
    """sentiment-minilm: the [CLS] row of one head, and the rollout's [CLS] row."""
    maps = run.maps["encoder_self"]
    tokens = maps.key_tokens
    row = maps.head(layer, head)[0]  # [key]: what [CLS] attends to
    download = Download(
        file_stem(run.model, "cls", layer, head),
        (maps.head(layer, head)[:1], tokens[:1], tokens),
        None,
    )
    show_chart(
        shaded_words(row, tokens, f"[CLS] row · layer {layer} · head {head}"),
        f"{key}.cls",
        download=download,
    )
    rollout = cls_rollout(run)
    rollout_download = Download(
        file_stem(run.model, "rollout_cls"), (rollout[None, :], tokens[:1], tokens), lambda: run
    )
    show_chart(
        shaded_words(rollout, tokens, "Rollout over all 6 layers · [CLS] row"),
        f"{key}.rollout",
        download=rollout_download,
    )
    st.caption(MINILM_NOTE)
    link = heads_link(run.model, run.text, layer, head)
    st.markdown(f"[Open every head of this model on this text in /heads]({link})")


def memory_view(run: Run, key: str) -> None:
    """qa-memnet: the hop x sentence heatmap, the answer and its probabilities."""
    maps = run.maps["memory"]
    weights = maps.weights[:, 0, 0]  # [hop, sentence]
    question = maps.query_tokens[0]
    title = f"{question} → {run.output_text}"
    matrix = (weights, tuple(f"hop {h}" for h in range(len(weights))), maps.key_tokens)
    download = Download(file_stem(run.model, "memory"), matrix, lambda: run)
    show_chart(memory_heatmap(weights, maps.key_tokens, title), f"{key}.memory", download=download)
    parts = []
    for hop, sentence in enumerate(weights.argmax(axis=1)):
        shown = escape_markdown(maps.key_tokens[sentence])
        parts.append(f"hop {hop}: “{shown}” ({weights[hop, sentence]:.2f})")
    st.caption("Most attended: " + "; ".join(parts) + ".")


def run_or_error(model: str, text: str) -> Run | None:
    """The shared run, or None with the reason shown (bad input, no weights)."""
    try:
        return get_run(model, text)
    except ValueError as error:
        show_error(str(error))
        return None


# ---- the view state and its controls --------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TasksView(PageView):
    """What /tasks shows: the task, the sentiment model, the review or the story, MiniLM's head.

    In the URL: `model` (a sentiment model, or qa-memnet for question answering), `text` (the
    review or the story) and, for sentiment-minilm, `layer` and `head`.
    """

    PAGE = "tasks"

    task: str = SENTIMENT  # one of TASKS
    model: str = SENTIMENT_CHOICES[0]  # the sentiment model; question answering has one
    review: str = REVIEW_EXAMPLES[0]
    story: str = STORY_EXAMPLES[0]  # sentences, then a question
    layer: int | None = None  # MiniLM's [CLS] row; None until its pickers are drawn
    head: int | None = None

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"task must be one of {TASKS}, not {self.task!r}.")
        if self.model not in SENTIMENT_CHOICES:
            raise ValueError(
                f"model must be one of {', '.join(SENTIMENT_CHOICES)}, not {self.model!r}."
            )
        for name in ("review", "story"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be text, not {getattr(self, name)!r}.")
        check_index("layer", self.layer)
        check_index("head", self.head)

    @classmethod
    def from_url(cls, params: Mapping[str, str]) -> tuple[TasksView, list[str]]:
        """The view a URL asks for (MiniLM's layer and head are read once its pickers are
        drawn: see `keep_pending_head`), and a notice for a model replaced by the default."""
        model, model_note = read_choice(params, "model", MODELS, MODELS[0])
        text = (params.get("text") or "")[:MAX_CHARS]
        if model == QA_MODEL:
            view = cls(task=QA, story=text) if text.strip() else cls(task=QA)
        else:
            view = cls(model=model, review=text) if text.strip() else cls(model=model)
        return view, [model_note] if model_note else []

    def to_url(self) -> dict[str, object]:
        if self.task == QA:
            return {"model": QA_MODEL, "text": self.story}
        head = {"layer": self.layer, "head": self.head} if self.model == MINILM else {}
        url = {"model": self.model, "text": self.review} | head
        return {name: value for name, value in url.items() if value is not None}


def read_url_once() -> list[str]:
    """On a session's first visit, put the URL's view into the widgets; returns the notices."""
    params = page_params(TasksView.PAGE, TasksView.key("task"))
    if params is None:
        return []
    view, notices = TasksView.from_url(params)
    view.into_widgets()
    keep_pending_head(TasksView, params)
    return notices


def task_picker() -> str:
    return st.radio("Task", TASKS, key=TasksView.key("task"), horizontal=True)


def example_key(field: str) -> str:
    """The key of the examples menu that fills the text field `field`."""
    return f"{TasksView.key(field)}_example"


def use_example(field: str) -> None:
    """Callback: copy the chosen example into the text box."""
    st.session_state[TasksView.key(field)] = st.session_state[example_key(field)]


def example_picker(field: str, examples: tuple[str, ...], placeholder: str) -> None:
    st.selectbox(
        "Examples",
        examples,
        key=example_key(field),
        index=None,
        placeholder=placeholder,
        on_change=use_example,
        args=(field,),
    )


def review_controls() -> TasksView:
    """Model, examples and the review."""
    keep_in_range(TasksView.key("model"), SENTIMENT_CHOICES, SENTIMENT_CHOICES[0])
    columns = st.columns([2, 3])
    model = columns[0].selectbox("Model", SENTIMENT_CHOICES, key=TasksView.key("model"))
    with columns[1]:
        example_picker("review", REVIEW_EXAMPLES, "Try an example review")
    st.session_state.setdefault(TasksView.key("review"), REVIEW_EXAMPLES[0])
    text = st.text_area("A review", key=TasksView.key("review"), height=80, max_chars=MAX_CHARS)
    return TasksView(SENTIMENT, model, review=text)


def story_controls() -> TasksView:
    """Examples and the story."""
    example_picker("story", STORY_EXAMPLES, "Try an example story")
    st.session_state.setdefault(TasksView.key("story"), STORY_EXAMPLES[0])
    text = st.text_area(
        "A story, one sentence per fact, then a question ending in '?'",
        key=TasksView.key("story"),
        height=120,
        max_chars=MAX_CHARS,
    )
    return TasksView(QA, story=text)


def with_layer_head(view: TasksView) -> TasksView:
    """The view with the layer and head of MiniLM's [CLS] row (the URL's values once)."""
    info = get_model(view.model).info
    layers, heads = info.layers["encoder_self"], info.heads["encoder_self"]
    layer, head = layer_head_pickers(TasksView, layers, heads, default_layer=layers - 1)
    return dataclasses.replace(view, layer=layer, head=head)


def sentiment_results(run: Run, view: TasksView) -> None:
    """The label, the words the model weighed, and the class probabilities."""
    show_notes(run)
    show_prediction(run, "Sentiment")
    if view.model == MINILM:
        minilm_view(run, int(view.layer), int(view.head), TasksView.state_key("minilm"))
    else:
        pooling_view(run, TasksView.state_key("bigru"))
    show_probabilities(run, TasksView.state_key("probabilities"), "Class probabilities")


def qa_results(run: Run) -> None:
    """The answer, the hops over the story's sentences, and the answer probabilities."""
    show_notes(run)
    show_prediction(run, "Answer")
    memory_view(run, TasksView.state_key("qa"))
    show_probabilities(run, TasksView.state_key("answers"), "Answer probabilities")

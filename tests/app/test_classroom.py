"""AppTest of /classroom: start a live run and see its progress, stop it, scrub the snapshots;
bad dates and URL values get a sentence; a second session waits while one trains."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "classroom.py")
TRAINING = "classroom.training"


@pytest.fixture
def open_page():
    """Opens the page; every run started in a test is stopped afterwards."""
    apps: list[AppTest] = []

    def open_page(**params: str) -> AppTest:
        app = AppTest.from_file(PAGE, default_timeout=120)
        for name, value in params.items():
            app.query_params[name] = value
        apps.append(app)
        return app.run()

    yield open_page
    for app in apps:
        if TRAINING in app.session_state:
            app.session_state[TRAINING].stop(wait=60)


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def progress_texts(app: AppTest) -> list[str]:
    return [bar.proto.text for bar in app.get("progress")]


def figure_titles(app: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in app.get("plotly_chart")]


def wait_for(app: AppTest, done, seconds: float = 90.0) -> None:
    """Rerun the page (as the fragment's polling would) until `done(app)` or time is up."""
    deadline = time.monotonic() + seconds
    while not done(app) and time.monotonic() < deadline:
        time.sleep(0.5)
        app.run()
    assert done(app), (progress_texts(app), [w.value for w in app.warning])


def test_the_page_offers_start_and_the_lessons(open_page):
    app = open_page()
    assert not app.exception
    assert not button(app, "Start training").disabled and button(app, "Stop").disabled
    assert app.selectbox(key="classroom.lesson").value == "bahdanau"
    assert any("v_a^\\top" in latex.value for latex in app.get("latex"))
    assert app.query_params["text"] == "Thursday, 27 November 2026"
    assert app.query_params["lesson"] == "bahdanau"


@pytest.mark.parametrize(
    ("name", "chart"),
    [
        ("activations", "lesson.activations"),
        ("softmax", "lesson.softmax"),
        ("dropout", "lesson.dropout"),
        ("optimizers", "lesson.optimizers"),
        ("why-attention", "lesson.by_length"),
        ("vanishing-gradients", "lesson.gradients"),
        ("what-attention", None),
        ("luong", None),
        ("scaled-dot-product", None),
        ("heads", None),
        ("masking", None),
    ],
)
def test_every_lesson_has_its_url_and_works_in_presentation_mode(open_page, name, chart):
    from attnviz.ui.lessons import LESSONS

    app = open_page(lesson=name, present="1")
    assert not app.exception
    assert app.query_params["lesson"] == name and app.query_params["present"] == "1"
    assert any(header.value == LESSONS[name][0] for header in app.subheader)
    if chart:
        assert app.get("plotly_chart"), name
        downloads = [button.proto.label for button in app.get("download_button")]
        assert any(label.startswith("PNG: ") for label in downloads), downloads


def test_the_softmax_figure_is_computed_from_the_slider(open_page):
    import numpy as np

    from attnviz.analysis.basics import softmax
    from tests.app.helpers import decode

    app = open_page(lesson="softmax")
    app.slider(key="lesson.temperature").set_value(0.5).run()
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    weights = next(trace for trace in spec["data"] if trace["name"] == "weight")["y"]
    scores = next(trace for trace in spec["data"] if trace["name"] == "score")["y"]
    weights, scores = decode(weights), decode(scores)
    np.testing.assert_allclose(weights, softmax(scores, 0.5), rtol=1e-6)
    assert "T = 0.5" in spec["layout"]["title"]["text"]


def test_an_unknown_lesson_falls_back_with_a_notice(open_page):
    app = open_page(lesson="**bold** [x](https://example.com)")
    assert not app.exception
    assert any("is not available" in info.value for info in app.info)
    assert app.selectbox(key="classroom.lesson").value == "bahdanau"


def test_start_shows_live_progress_and_stop_gives_a_slider(open_page):
    app = open_page(text="27 Nov 2026", seconds="20")
    button(app, "Start training").click().run()
    assert not app.exception
    assert button(app, "Stop").disabled is False and button(app, "Start training").disabled
    wait_for(app, lambda app: any("step 1" in text for text in progress_texts(app)))
    assert "loss" in progress_texts(app)[0] and "held-out exact" in progress_texts(app)[0]
    assert any(title.startswith("step ") for title in figure_titles(app))
    button(app, "Stop").click().run()
    assert not app.exception
    assert any(success.value.startswith("Stopped") for success in app.success)
    slider = next(s for s in app.select_slider if s.label.startswith("Scrub"))
    assert len(slider.options) >= 2 and slider.value == len(slider.options) - 1
    slider.set_value(0).run()
    assert any(title.startswith("step 0:") for title in figure_titles(app))
    app.text_input(key="classroom.try").input("3/14/15").run()
    assert not app.exception and len(app.get("plotly_chart")) == 2


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("   ", "Type a date to watch"),
        ("27 Décembre 2026", "cannot read these characters: é"),
        ("Thursday, the 27th of November 2026, late in the afternoon", "characters long"),
    ],
)
def test_bad_dates_get_a_sentence_and_cannot_start(open_page, date, message):
    app = open_page()
    app.text_input(key="classroom.date").input(date).run()
    assert not app.exception
    assert any(message in warning.value for warning in app.warning)
    assert button(app, "Start training").disabled


def test_a_bad_url_budget_falls_back_with_a_notice(open_page):
    app = open_page(seconds="9999")
    assert any("seconds '9999' is not available" in info.value for info in app.info)
    assert app.select_slider(key="classroom.seconds").value == 60


def test_a_second_session_waits_while_one_trains(open_page):
    first = open_page(seconds="20")
    button(first, "Start training").click().run()
    second = open_page()
    button(second, "Start training").click().run()
    assert any("Another session is training" in w.value for w in second.warning)
    assert TRAINING not in second.session_state
    button(first, "Stop").click().run()
    button(second, "Start training").click().run()
    assert not any("Another session" in w.value for w in second.warning)
    assert second.session_state[TRAINING].view().running


def test_the_luong_lesson_uses_the_translate_pages_notation(open_page):
    from attnviz.ui.translate import SCORE_FORMULAS

    app = open_page(lesson="luong")
    formulas = [latex.value for latex in app.get("latex")]
    for score in ("dot", "general"):
        step_panel = SCORE_FORMULAS[score].split("=", 1)[1].strip()
        assert any(step_panel in formula for formula in formulas), (score, formulas)
    assert any("Bahdanau's decoder with Luong's scores" in block.value for block in app.markdown)

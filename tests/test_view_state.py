"""The pages' view states: a URL round trip gives the same view, garbage and out-of-range
values give the defaults with a notice, and a view that breaks its own rules cannot be made."""

from __future__ import annotations

import dataclasses

import pytest

from attnviz.ui.classroom import ClassroomView
from attnviz.ui.compare_page import CompareView, PendingCompare
from attnviz.ui.generate import GenerateView
from attnviz.ui.heads_page import HeadsView, PendingHeads
from attnviz.ui.tasks import TasksView
from attnviz.ui.url import url_value
from attnviz.ui.view_state import PendingHead
from tests.app.helpers import open_page


def url_of(view) -> dict[str, str]:
    """`view.to_url()` as the browser's query string holds it: every value as text."""
    return {name: url_value(value) for name, value in view.to_url().items()}


# ---- the shared base ------------------------------------------------------------------------


def test_widget_keys_come_from_the_field_names_and_nothing_else():
    assert ClassroomView.key("date") == "classroom.date"
    assert ClassroomView.key("seconds") == "classroom.seconds"
    with pytest.raises(ValueError, match="no field 'text'; its fields are date, seconds, lesson"):
        ClassroomView.key("text")
    assert ClassroomView.state_key("training") == "classroom.training"
    with pytest.raises(ValueError, match="is a field"):
        ClassroomView.state_key("date")


def test_a_pending_head_is_read_against_the_model_it_indexes():
    assert PendingHead("3", "1").read(4, 2) == ({"layer": 3, "head": 1}, [])
    values, notices = PendingHead("9", "x").read(4, 2)
    assert values == {"layer": 0, "head": 0}
    assert notices == [
        "layer 9 does not exist (0 to 3); showing layer 0 instead.",
        "head must be a whole number; 'x' was replaced by 0.",
    ]
    assert PendingHead().read(4, 2) == ({}, [])  # nothing in the URL: nothing to apply
    assert PendingHead.from_url({"layer": "2", "text": "t"}) == PendingHead("2", None)


# ---- /classroom -----------------------------------------------------------------------------


def test_classroom_urls_round_trip():
    view = ClassroomView("3/14/15", 20, "softmax")
    assert url_of(view) == {"text": "3/14/15", "lesson": "softmax", "seconds": "20"}
    assert ClassroomView.from_url(url_of(view)) == (view, [])
    default = ClassroomView()
    assert url_of(default) == {"text": "Thursday, 27 November 2026", "lesson": "bahdanau"}
    assert ClassroomView.from_url({}) == (default, [])


def test_classroom_garbage_gives_the_defaults_with_a_notice():
    view, notices = ClassroomView.from_url({"text": "   ", "seconds": "9999", "lesson": "**bold**"})
    assert view == ClassroomView()
    assert notices == [
        "seconds '9999' is not available here; showing '60' instead.",
        "lesson '**bold**' is not available here; showing 'bahdanau' instead.",
    ]
    view, _ = ClassroomView.from_url({"text": "1" * 500})
    assert view.date == "1" * 200  # a URL's date is cut before it reaches the field


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"seconds": 15}, "seconds must be one of"),
        ({"lesson": "nope"}, "lesson 'nope' does not exist"),
        ({"date": None}, "date must be text"),
    ],
)
def test_a_classroom_view_that_breaks_its_rules_cannot_be_made(fields, message):
    with pytest.raises(ValueError, match=message):
        ClassroomView(**fields)


# ---- /generate ------------------------------------------------------------------------------


def test_generate_urls_round_trip_with_the_head_read_once_the_model_is_known():
    view = GenerateView("gpt-austen", "the cat sat", 0.5, 5, 4, layer=1, head=2)
    url = url_of(view)
    assert url == {
        "model": "gpt-austen", "text": "the cat sat", "temperature": "0.5", "top_k": "5",
        "seed": "4", "layer": "1", "head": "2",
    }  # fmt: skip
    assert GenerateView.from_url(url) == (dataclasses.replace(view, layer=None, head=None), [])
    assert PendingHead.from_url(url).read(4, 4) == ({"layer": 1, "head": 2}, [])
    assert url_of(GenerateView()) == {
        "model": "gpt-austen", "text": "It was a fine morning, and Elizabeth",
        "temperature": "1.0", "top_k": "0", "seed": "0",
    }  # fmt: skip


def test_a_generate_url_keeps_a_model_folder(tiny_folders):
    folder = str(tiny_folders["gpt2"])
    view = GenerateView(folder, "the cat", 0.0, 0, 0)
    assert GenerateView.from_url(url_of(view)) == (view, [])


def test_generate_garbage_gives_the_defaults_with_a_notice():
    params = {"text": " ", "temperature": "hot", "top_k": "999", "seed": "-1", "model": "nan"}
    view, notices = GenerateView.from_url(params)
    assert view == GenerateView()
    assert notices[0].startswith("Model 'nan'") and notices[0].lower().endswith(
        "showing gpt-austen."
    )
    assert notices[1:] == [
        "temperature must be a number from 0 to 2; using 1.",
        "top_k 999 does not exist (0 to 100); showing top_k 0 instead.",
        "seed -1 does not exist (0 to 999999); showing seed 0 instead.",
    ]
    assert GenerateView.from_url({"temperature": "inf"})[0].temperature == 1.0
    assert GenerateView.from_url({"temperature": "0.123"})[0].temperature == 0.12
    # Another registry model is no language model for this page: gpt-austen, as before.
    assert GenerateView.from_url({"model": "bahdanau-en-es"}) == (GenerateView(), [])


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"temperature": 2.5}, "temperature must be from 0 to 2"),
        ({"top_k": -1}, "top_k must be from 0 to 100"),
        ({"seed": 10**6}, "seed must be from 0 to 999999"),
        ({"layer": -1}, "layer must be a whole number from 0"),
        ({"text": None}, "text must be text"),
    ],
)
def test_a_generate_view_that_breaks_its_rules_cannot_be_made(fields, message):
    with pytest.raises(ValueError, match=message):
        GenerateView(**fields)


# ---- /tasks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("view", "url"),
    [
        (
            TasksView(model="sentiment-bigru", review="Dull."),
            {"model": "sentiment-bigru", "text": "Dull."},
        ),
        (
            TasksView(model="sentiment-minilm", review="Fine.", layer=4, head=7),
            {"model": "sentiment-minilm", "text": "Fine.", "layer": "4", "head": "7"},
        ),
        (
            TasksView(task="Question answering", story="Mary left. Where is Mary?"),
            {"model": "qa-memnet", "text": "Mary left. Where is Mary?"},
        ),
    ],
)
def test_tasks_urls_round_trip(view, url):
    assert url_of(view) == url
    pending = PendingHead.from_url(url)
    assert TasksView.from_url(url) == (dataclasses.replace(view, layer=None, head=None), [])
    assert pending.read(6, 12)[0] == {
        name: value for name in ("layer", "head") if (value := getattr(view, name)) is not None
    }


def test_tasks_urls_leave_out_what_the_view_does_not_show():
    # The BiGRU has no heads, and question answering shows the story, not the review.
    assert "layer" not in url_of(TasksView(model="sentiment-bigru", layer=4, head=7))
    qa = TasksView(task="Question answering", model="sentiment-minilm", review="x", layer=1)
    assert url_of(qa) == {"model": "qa-memnet", "text": TasksView().story}


def test_tasks_garbage_gives_the_defaults_with_a_notice():
    view, notices = TasksView.from_url({"model": "no-such-model", "text": "   "})
    assert view == TasksView()
    assert notices == [
        "model 'no-such-model' is not available here; showing 'sentiment-bigru' instead."
    ]
    view, _ = TasksView.from_url({"model": "qa-memnet", "text": "?" * 3000})
    assert view.task == "Question answering" and view.story == "?" * 2000
    assert view.review == TasksView().review  # the other task's text keeps its example


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"task": "Translation"}, "task must be one of"),
        ({"model": "qa-memnet"}, "model must be one of sentiment-bigru, sentiment-minilm"),
        ({"head": 1.5}, "head must be a whole number from 0"),
        ({"story": None}, "story must be text"),
    ],
)
def test_a_tasks_view_that_breaks_its_rules_cannot_be_made(fields, message):
    with pytest.raises(ValueError, match=message):
        TasksView(**fields)


# ---- /heads ---------------------------------------------------------------------------------


def test_heads_urls_round_trip_with_kind_head_and_tokens_read_once_their_model_is_known():
    view = HeadsView(
        "minilm-l6", "Cats chase mice.", "encoder_self", 4, 7, view="token", scale="magma",
        log=True, merge=True, token=2, key_token=2,
    )  # fmt: skip
    url = url_of(view)
    assert list(url.items()) == [
        ("model", "minilm-l6"), ("text", "Cats chase mice."), ("kind", "encoder_self"),
        ("layer", "4"), ("head", "7"), ("view", "token"), ("scale", "magma"), ("log", "1"),
        ("merge", "1"), ("token", "2"), ("key_token", "2"),
    ]  # fmt: skip
    waiting = dict.fromkeys(("kind", "layer", "head", "token", "key_token"))
    assert HeadsView.from_url(url) == (dataclasses.replace(view, **waiting), [])
    assert PendingHeads.from_url(url) == PendingHeads("encoder_self", "4", "7", "2", "2")
    # The defaults stay out of the URL, and the tokens belong to Token focus only.
    assert url_of(HeadsView()) == {"model": "minilm-l6", "text": HeadsView().text}
    assert "token" not in url_of(dataclasses.replace(view, view="statistics"))
    assert url_of(HeadsView(view="token"))["token"] == "0"  # no token picked yet: the first


def test_a_heads_url_keeps_a_model_folder(tiny_folders):
    folder = str(tiny_folders["t5"])
    view, notices = HeadsView.from_url({"model": folder, "text": "the cat sat", "kind": "cross"})
    assert (view.model, view.text, view.kind, notices) == (folder, "the cat sat", None, [])


def test_heads_garbage_gives_the_defaults_with_a_notice():
    params = {
        "model": "no-such-model", "text": "   ", "view": "x", "scale": "nope",
        "aggregate": "<b>max</b>", "statistic": "sep", "log": "maybe", "hide": "1",
    }  # fmt: skip
    view, notices = HeadsView.from_url(params)
    assert view == HeadsView(statistic="sep", hide=True)
    assert notices[0].startswith("Model 'no-such-model' cannot be opened")
    assert notices[0].endswith("Showing minilm-l6.")
    assert notices[1:] == [
        "view 'x' is not available here; showing 'head' instead.",
        "scale 'nope' is not available here; showing 'viridis' instead.",
        "aggregate '<b>max</b>' is not available here; showing 'mean' instead.",
        "log must be 1 or 0; 'maybe' was replaced by 0.",
    ]
    assert HeadsView.from_url({"text": "x" * 30_000})[0].text == "x" * 20_000


def test_a_heads_pending_layer_and_token_are_checked_against_the_model_and_run():
    app = open_page(
        "heads", text="Cats chase mice.", layer="99", head="3", view="token", token="500"
    )
    assert not app.exception
    assert [info.value for info in app.info if "does not exist" in info.value] == [
        "layer 99 does not exist (0 to 5); showing layer 0 instead.",
        "token 500 does not exist (0 to 5); showing token 1 instead.",
    ]
    assert (app.session_state["heads.layer"], app.session_state["heads.head"]) == (0, 3)
    assert app.session_state["heads.pending"].token is None  # read once, not again


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"view": "grid"}, "view must be one of head, overview"),
        ({"scale": None}, "scale must be one of"),
        ({"statistic": "Entropy (nats)"}, "statistic must be one of"),
        ({"log": 1}, "log must be True or False"),
        ({"layer": -1}, "layer must be a whole number from 0"),
        ({"key_token": "2"}, "key_token must be a whole number from 0"),
        ({"kind": 0}, "kind must be text or None"),
        ({"text": None}, "text must be text"),
    ],
)
def test_a_heads_view_that_breaks_its_rules_cannot_be_made(fields, message):
    with pytest.raises(ValueError, match=message):
        HeadsView(**fields)


# ---- /compare -------------------------------------------------------------------------------


def test_compare_urls_round_trip_with_both_heads_read_once_their_models_are_known():
    view = CompareView(
        "minilm-l6", "Cats chase mice.", "encoder_self", 2, 3,
        "transformer-en-es", "Dogs bark.", "cross", 1, 0, words=True, off="0.3,1.7",
    )  # fmt: skip
    url = url_of(view)
    assert list(url) == [
        "model", "text", "kind", "layer", "head",
        "model2", "text2", "kind2", "layer2", "head2", "words", "off",
    ]  # fmt: skip
    assert (url["words"], url["off"], url["head2"]) == ("1", "0.3,1.7", "0")
    waiting = dict.fromkeys(("kind", "layer", "head", "kind2", "layer2", "head2"))
    assert CompareView.from_url(url) == (dataclasses.replace(view, **waiting, off=""), [])
    pending = PendingCompare.from_url(url)
    assert pending.a == {"kind": "encoder_self", "layer": "2", "head": "3"}
    assert pending.b == {"kind": "cross", "layer": "1", "head": "0"}
    assert pending.off == "0.3,1.7"
    plain = url_of(dataclasses.replace(view, words=False, off=""))
    assert set(plain) == set(url) - {"words", "off"}  # both only when on


def test_side_b_shows_side_a_model_and_text_where_the_url_has_none():
    view, notices = CompareView.from_url({"model": "gpt-austen", "text": "It rained."})
    assert (view.model2, view.text2, notices) == ("gpt-austen", "It rained.", [])
    view, _ = CompareView.from_url({"text": "It rained.", "text2": "It snowed."})
    assert (view.model2, view.text2) == ("minilm-l6", "It snowed.")
    nothing = dict.fromkeys(("kind", "layer", "head"))
    assert PendingCompare.from_url({}) == PendingCompare(nothing, nothing, "")


def test_compare_garbage_gives_the_defaults_with_a_notice():
    params = {"model": "no-such-model", "text": "  ", "text2": " ", "words": "perhaps"}
    view, notices = CompareView.from_url(params)
    assert view == CompareView()
    # Side B falls back to side A's model value, so both sides say it cannot be opened.
    assert len(notices) == 3 and notices[0] == notices[1]
    assert notices[0].startswith("Model 'no-such-model' cannot be opened")
    assert notices[2] == "words must be 1 or 0; 'perhaps' was replaced by 0."
    view, notices = CompareView.from_url({"model2": "nope-model", "text": "x" * 30_000})
    assert view.model2 == "minilm-l6" and notices[0].startswith("Model 'nope-model'")
    assert view.text == view.text2 == "x" * 20_000


def test_compare_widget_keys_keep_the_sides_apart():
    assert CompareView.key("head") == "compare.a.head"
    assert CompareView.key("head2") == "compare.b.head"
    assert CompareView.key("model2") == "compare.b.model"
    assert CompareView.key("words") == "compare.words"
    assert CompareView.key("off") == "compare.off_select"
    with pytest.raises(ValueError, match="no field 'head3'"):
        CompareView.key("head3")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"layer2": -1}, "layer2 must be a whole number from 0"),
        ({"kind": 1}, "kind must be text or None"),
        ({"words": "1"}, "words must be True or False"),
        ({"off": ()}, "off must be text"),
        ({"text2": None}, "text2 must be text"),
    ],
)
def test_a_compare_view_that_breaks_its_rules_cannot_be_made(fields, message):
    with pytest.raises(ValueError, match=message):
        CompareView(**fields)


def test_a_view_put_into_the_widgets_is_the_view_read_back():
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from attnviz.ui.classroom import ClassroomView
        from attnviz.ui.generate import GenerateView

        ClassroomView("3/14/15", 20, "softmax").into_widgets()
        st.session_state["read back"] = ClassroomView.from_widgets()
        st.session_state["override"] = ClassroomView.from_widgets(seconds=45)
        GenerateView(model="/models/gpt", text="the cat", layer=None).into_widgets()

    app = AppTest.from_function(script).run()
    assert not app.exception
    assert app.session_state["read back"] == ClassroomView("3/14/15", 20, "softmax")
    assert app.session_state["override"].seconds == 45
    assert app.session_state["classroom.date"] == "3/14/15"
    # The model is two widgets: the folder choice and its path; a None field is left out.
    assert app.session_state["generate.model.choice"] == "Model folder on disk…"
    assert app.session_state["generate.model.folder"] == "/models/gpt"
    assert app.session_state["generate.text"] == "the cat"
    assert "generate.layer" not in app.session_state and "generate.model" not in app.session_state


# ---- /translate -----------------------------------------------------------------------------


def test_translate_urls_round_trip_with_step_and_hypothesis_read_once_the_run_is_known():
    from attnviz.ui.translate_page import TranslateView

    view = TranslateView("luong-dot-en-es", "The cat.", 3, hyp=1, step=2, words=False)
    url = url_of(view)
    assert list(url.items()) == [
        ("model", "luong-dot-en-es"), ("text", "The cat."), ("beam", "3"), ("hyp", "1"),
        ("step", "2"), ("words", "0"),
    ]  # fmt: skip
    assert TranslateView.from_url(url) == (dataclasses.replace(view, hyp=None, step=None), [])
    # Whole words are the default and stay out of the URL; so does what was not drawn.
    assert url_of(dataclasses.replace(view, words=True)).get("words") is None
    assert url_of(TranslateView()) == {
        "model": "bahdanau-en-es", "text": "The black cat sleeps on the red sofa.", "beam": "1",
    }  # fmt: skip


def test_a_translate_url_for_dates_shows_only_the_date_and_its_step():
    from attnviz.ui.translate_page import DATE_EXAMPLES, TranslateView

    view = TranslateView("bahdanau-dates", "11/27/26", beam=4, step=3, words=False)
    assert url_of(view) == {"model": "bahdanau-dates", "text": "11/27/26", "step": "3"}
    assert TranslateView.from_url(url_of(view))[0].text == "11/27/26"
    assert TranslateView.from_url({"model": "bahdanau-dates", "text": " "}) == (
        TranslateView("bahdanau-dates", DATE_EXAMPLES[0], words=True),
        [],
    )


def test_translate_garbage_gives_the_defaults_with_a_notice():
    from attnviz.ui.translate_page import TranslateView

    params = {"model": "nope", "text": "  ", "beam": "9", "words": "maybe"}
    view, notices = TranslateView.from_url(params)
    assert view == TranslateView(words=True)
    assert notices == [
        "model 'nope' is not available here; showing 'bahdanau-en-es' instead.",
        "beam 9 does not exist (1 to 5); showing beam 1 instead.",
        "words must be 1 or 0; 'maybe' was replaced by 1.",
    ]
    assert TranslateView.from_url({"beam": "0"})[1] == [
        "beam 0 does not exist (1 to 5); showing beam 1 instead."
    ]
    assert TranslateView.from_url({"beam": "5"}) == (TranslateView(beam=5, words=True), [])
    assert TranslateView.from_url({"text": "a" * 3000})[0].text == "a" * 2000


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"beam": 0}, "beam must be from 1 to 5"),
        ({"beam": 6}, "beam must be from 1 to 5"),
        ({"model": "gpt-austen"}, "model must be one of bahdanau-en-es"),
        ({"text": None}, "text must be text"),
        ({"step": -1}, "step must be a whole number from 0"),
        ({"hyp": "1"}, "hyp must be a whole number from 0"),
        ({"words": "yes"}, "words must be True, False or None"),
    ],
)
def test_a_translate_view_that_breaks_its_rules_cannot_be_made(fields, message):
    from attnviz.ui.translate_page import TranslateView

    with pytest.raises(ValueError, match=message):
        TranslateView(**fields)


def test_a_translate_view_fills_the_widgets_of_its_mode():
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from attnviz.ui.translate_page import TranslateView

        if "round" not in st.session_state:
            st.session_state["round"] = 1
            TranslateView("luong-general-en-es", "Hello.", 2, words=False).into_widgets()
        else:
            TranslateView("bahdanau-dates", "27.11.2026", words=True).into_widgets()

    app = AppTest.from_function(script).run()
    assert not app.exception
    assert app.session_state["translate.mode"] == "English → Spanish"
    assert app.session_state["translate.model"] == "luong-general-en-es"
    assert app.session_state["translate.text"] == "Hello."
    assert app.session_state["translate.beam"] == 2
    assert app.session_state["translate.words"] is False
    assert "translate.step" not in app.session_state and "translate.hyp" not in app.session_state
    app.run()
    # A date goes to the date's box; the English sentence stays; the picker shows a translator.
    assert app.session_state["translate.mode"] == "Dates"
    assert app.session_state["translate.date"] == "27.11.2026"
    assert app.session_state["translate.text"] == "Hello."
    assert app.session_state["translate.model"] == "bahdanau-en-es"
    assert app.session_state["translate.words"] is True

"""AppTest of the words a newcomer needs: the Start page's how-to, what each kind of map is
(and why a translator's decoder_self is offset and half grey), and where models come from when
a typed name is not one."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from attnviz.models.registry import REGISTRY
from attnviz.ui.kinds import DECODER_SELF_LANGUAGE_MODEL, DECODER_SELF_TRANSLATOR
from tests.app.helpers import open_page, widget

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def captions(app) -> list[str]:
    return [caption.value for caption in app.caption]


def test_the_start_page_says_how_to_use_it_and_what_the_kinds_are():
    app = AppTest.from_file(APP, default_timeout=180).run()  # Start is the default page
    assert not app.exception
    text = "\n".join(block.value for block in app.markdown)
    for step in ("Pick a page", "Type a sentence", "Pick a layer and a head", "Hover"):
        assert step in text
    for kind in ("encoder_self", "decoder_self", "cross"):
        assert f"**{kind}**" in text
    assert "downloads nothing" in text and "Model folder on disk…" in text


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("encoder_self", "Every input token"),
        ("cross", "encoder-decoder attention"),
        ("decoder_self", "one place ahead of the columns"),
    ],
)
def test_each_kind_of_a_translator_has_a_caption_on_heads(kind, words):
    app = open_page("heads", model="transformer-en-es", text="The black cat sleeps.", kind=kind)
    assert not app.exception
    assert sum(words in caption for caption in captions(app)) == 1
    if kind == "decoder_self":  # the grey triangle is explained too
        assert DECODER_SELF_TRANSLATOR in captions(app)


def test_a_language_models_decoder_self_is_explained_without_an_offset():
    app = open_page("heads", model="gpt-austen", text="It is a truth")
    assert not app.exception
    assert DECODER_SELF_LANGUAGE_MODEL in captions(app)
    assert DECODER_SELF_TRANSLATOR not in captions(app)


def test_both_sides_of_compare_say_what_their_kind_is():
    app = open_page("compare")
    assert not app.exception
    assert sum("**encoder_self**" in caption for caption in captions(app)) >= 1


@pytest.mark.parametrize("name", ["bert-base-uncased", "google-bert/bert-base-uncased"])
def test_a_hugging_face_name_typed_gets_where_models_come_from(name, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.chdir(tmp_path)
    app = open_page("heads")
    widget(app.selectbox, "Model").set_value("Model folder on disk…").run()
    app.text_input[0].input(name).run()
    assert not app.exception
    [error] = [error.value for error in app.error]
    assert "downloads nothing" in error and "folder on this computer" in error
    assert all(model in error for model in REGISTRY)  # what is available
    assert "Model folder on disk…" in error  # and how to open a folder


def test_a_hugging_face_name_in_the_url_gets_the_same_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.chdir(tmp_path)
    app = open_page("heads", model="bert-base-uncased", text="the cat sat")
    assert not app.exception
    assert any("downloads nothing" in info.value for info in app.info)
    assert any("Showing minilm-l6" in info.value for info in app.info)


def test_a_folder_that_exists_keeps_its_own_reason(tmp_path):
    app = open_page("heads")
    widget(app.selectbox, "Model").set_value("Model folder on disk…").run()
    app.text_input[0].input(str(tmp_path)).run()
    assert any("no config.json" in error.value for error in app.error)
    assert not any("downloads nothing" in error.value for error in app.error)

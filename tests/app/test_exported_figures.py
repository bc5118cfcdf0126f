"""A figure downloaded from /heads is what the page draws and says what it shows: drawn at its
column's width (the reference window's) and its own height, its title naming the model and
the sentence, with the sentence's markup shown as typed.

The files are made by the callables Streamlit keeps for its download buttons, run here as a
click would run them. A PNG's text cannot be read back, so the SVG from the same menu shows
the title and the PNG is checked to be that SVG's size, twice over."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ElementTree

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from attnviz import export
from attnviz.ui.widgets import column_width
from tests.app.helpers import figures_by_key, open_page

TEXT = "Cats <b>chase</b> mice."


@pytest.fixture(scope="module", autouse=True)
def _close_chromium():
    yield
    export.close_image_engine()


@pytest.fixture
def made_by_button(monkeypatch) -> dict:
    """file id -> the callable Streamlit runs when that download button is pressed."""
    callables: dict = {}
    register = MediaFileManager.add_deferred

    def recording(self, data_callable, *args, **kwargs):
        file_id = register(self, data_callable, *args, **kwargs)
        callables[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return callables


def pressed(app, made_by_button: dict, label: str) -> bytes | str:
    button = next(b for b in app.get("download_button") if b.proto.label == label)
    return made_by_button[button.proto.deferred_file_id]()


def test_the_heads_png_is_the_column_wide_figure_titled_with_model_and_sentence(made_by_button):
    app = open_page("heads", text=TEXT, layer="1", head="2")
    assert not app.exception
    stem = "minilm_l6_encoder_self_layer_1_head_2"
    svg = ElementTree.fromstring(pressed(app, made_by_button, f"SVG: {stem}.svg"))
    texts = [node.text for node in svg.iter() if node.text]
    assert "minilm-l6 · encoder_self · layer 1 · head 2" in texts
    assert f"“{TEXT}”" in texts  # the sentence, its markup as typed
    width, height = int(svg.get("width")), int(svg.get("height"))
    assert width == column_width([3, 2]) < 500  # the head's column beside the small multiples
    drawn = figures_by_key(app, "heads.")["main"]["layout"]["height"]  # as the page draws it
    assert drawn < height <= drawn + 30  # and one title line more, for the sentence
    png = pressed(app, made_by_button, f"PNG: {stem}.png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (2 * width, 2 * height)


def test_the_translate_step_bars_export_at_the_width_of_their_half_column(made_by_button):
    app = open_page("translate", text="The black cat sleeps.", step="1")
    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    stem = "translate-step-1"
    assert labels.count(f"SVG: {stem}.svg") == 2  # the scores and the weights, side by side
    svg = ElementTree.fromstring(pressed(app, made_by_button, f"SVG: {stem}.svg"))
    assert int(svg.get("width")) == column_width(2) < 420
    texts = [node.text for node in svg.iter() if node.text]
    assert "“The black cat sleeps.”" in texts and any("bahdanau-en-es" in t for t in texts)

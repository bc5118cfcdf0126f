"""Every figure on every view has a Download menu, and /heads names its files by the model."""

from __future__ import annotations

import pytest

from tests.app.helpers import figures, open_page

TEXT = "Cats chase mice."


def png_labels(app) -> list[str]:
    return [b.proto.label for b in app.get("download_button") if b.proto.label.startswith("PNG")]


def assert_a_menu_under_every_figure(app) -> None:
    assert not app.exception
    charts = figures(app)
    assert charts and len(png_labels(app)) == len(charts)


@pytest.mark.parametrize("view", ["head", "overview", "aggregate", "statistics", "token"])
def test_every_heads_view_has_a_menu_under_every_figure(view):
    assert_a_menu_under_every_figure(open_page("heads", text=TEXT, view=view))


def test_heads_files_are_named_by_the_model():
    labels = png_labels(open_page("heads", text=TEXT, layer="1", head="2"))
    assert labels[0] == "PNG: minilm_l6_encoder_self_layer_1_head_2.png"


@pytest.mark.parametrize("page", ["compare", "translate"])
def test_compare_and_translate_have_a_menu_under_every_figure(page):
    assert_a_menu_under_every_figure(open_page(page, text=TEXT))

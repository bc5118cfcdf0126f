"""The app as a whole: every page opens through app.py, and a view survives a visit elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import chart, ticks

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=180).run()


@pytest.mark.parametrize("page", ["home", "translate", "heads", "compare", "classroom", "tasks"])
def test_every_page_opens_through_the_navigation(page):
    app = open_app()
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception


def test_a_view_survives_a_visit_to_another_page():
    app = open_app()
    app.switch_page("pages/heads.py").run()
    app.text_area(key="heads.text").input("Owls hunt at night").run()
    app.selectbox(key="heads.layer").set_value(3).run()
    app.switch_page("pages/home.py").run()
    app.switch_page("pages/heads.py").run()
    assert not app.exception
    assert app.text_area(key="heads.text").value == "Owls hunt at night"
    assert app.selectbox(key="heads.layer").value == 3
    assert ticks(chart(app, "heads.main")) == ["[CLS]", "owls", "hunt", "at", "night", "[SEP]"]


def test_presentation_mode_is_one_switch_for_the_whole_app():
    app = AppTest.from_file(APP, default_timeout=180)
    app.query_params["present"] = "1"
    app.run()
    app.switch_page("pages/heads.py").run()
    assert app.toggle(key="present").value is True
    app.switch_page("pages/compare.py").run()
    assert not app.exception
    assert app.toggle(key="present").value is True
    assert app.query_params["present"] == "1"
    app.toggle(key="present").set_value(False).run()
    app.switch_page("pages/translate.py").run()
    assert app.toggle(key="present").value is False
    assert "present" not in app.query_params


def test_the_start_page_lists_every_shipped_model_with_its_kinds():
    from attnviz.models.registry import list_models

    app = open_app()
    shown = " ".join(block.value for block in app.markdown)
    for entry in list_models():
        assert f"**{entry.name}**: {entry.description}" in shown
    assert "(encoder_self)" in shown and "no attention" in shown

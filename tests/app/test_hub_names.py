"""AppTest of /heads with a Hugging Face name from a local cache the test builds."""

from __future__ import annotations

import pytest

from tests.app.helpers import chart, ticks, widget
from tests.app.helpers import open_page as open_any
from tests.models.test_hub_cache import add_to_cache

NAME = "tiny-org/tiny-bert"


@pytest.fixture
def cached(tmp_path, monkeypatch, tiny_folders):
    add_to_cache(tmp_path / "hub", NAME, tiny_folders["bert"])
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.chdir(tmp_path)
    return NAME


def test_a_cached_name_typed_in_the_sidebar_opens_that_model(cached):
    app = open_any("heads")
    widget(app.selectbox, "Model").set_value("Model folder on disk…").run()
    app.text_input[0].input(cached).run()
    assert not app.exception and not app.error
    app.text_area[0].input("the zebra sat").run()
    assert not app.exception and not app.error
    # "zebra" is not in the tiny model's vocabulary; minilm-l6, the default, knows it.
    assert ticks(chart(app, "heads.main"), "x") == ["[CLS]", "the", "[UNK]", "sat", "[SEP]"]


def test_a_cached_name_in_the_url_opens_that_model(cached):
    app = open_any("heads", model=cached, text="the cat sat")
    assert not app.exception
    assert not [info.value for info in app.info if "cannot be opened" in info.value]
    assert ticks(chart(app, "heads.main"), "x") == ["[CLS]", "the", "cat", "sat", "[SEP]"]

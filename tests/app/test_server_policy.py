"""Model folders from the browser follow ATTNVIZ_MODEL_ROOTS; odd values get one sentence;
one folder is one model; the JSON download of a long run is refused with a pointer to NPZ."""

from __future__ import annotations

import os
import re
import shutil

import pytest

from attnviz.models.folders import ROOTS_VARIABLE
from attnviz.ui import cache
from tests.app.helpers import figures, open_page, widget

PROBES = (
    "/etc/shadow",
    "/root",
    "/nonexistent/x",
    "/" + "a" * 300,
    "~nosuchuser/x",
    "9" * 5000,
    "/tmp/../etc//passwd",
)


def plain(markdown: str) -> str:
    """What a notice shows: escapes resolved, invisible joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


@pytest.fixture
def root(tiny_folders, tmp_path, monkeypatch):
    """A model root holding a copy of the tiny BERT; the policy set to it."""
    shutil.copytree(tiny_folders["bert"], tmp_path / "models" / "bert")
    monkeypatch.setenv(ROOTS_VARIABLE, str(tmp_path / "models"))
    return tmp_path / "models"


def notice_about(app, value: str) -> str:
    """The one notice that quotes `value`, with the quotation taken out."""
    shown = value if len(value) <= 80 else value[:80]
    (notice,) = [plain(info.value) for info in app.info if shown in plain(info.value)]
    quote = re.search(r"Model ('.*?'|\".*?\")( \([\d,]+ characters\))? cannot", notice)
    return notice.replace(quote.group(1), "PATH").replace(quote.group(2) or "", "")


def test_url_folders_outside_the_roots_all_read_the_same(root):
    notices = set()
    for probe in PROBES:
        app = open_page("heads", model=probe)
        assert not app.exception
        notices.add(notice_about(app, probe))
        assert figures(app), "the default model is shown instead"
    (notice,) = notices
    assert "neither one of this server's models nor inside its model folders" in notice


def test_a_folder_inside_the_roots_opens_and_one_outside_does_not(root, tmp_path):
    inside = open_page("heads", model=str(root / "bert"), text="the cat sat")
    assert not inside.exception and not inside.info
    assert widget(inside.selectbox, "Model").value == "Model folder on disk…"
    shutil.copytree(root / "bert", tmp_path / "elsewhere")
    outside = open_page("heads", model=str(tmp_path / "elsewhere"))
    assert "nor inside its model folders" in plain(outside.info[0].value)


def test_empty_roots_turn_folder_loading_off(root, monkeypatch):
    monkeypatch.setenv(ROOTS_VARIABLE, "")
    app = open_page("heads", model=str(root / "bert"))
    assert "opens its own models only" in plain(app.info[0].value)
    widget(app.selectbox, "Model").set_value("Model folder on disk…").run()
    app.text_input[0].input(str(root / "bert")).run()
    assert not app.exception
    assert any("opens its own models only" in plain(error.value) for error in app.error)


def test_long_model_values_on_compare_get_a_sentence(root):
    app = open_page("compare", model="x" * 10_000, model2="/" + "y" * 10_000)
    assert not app.exception
    notices = sorted(plain(info.value) for info in app.info)
    assert len(notices) == 2 and len(notices[0]) < 300
    assert "(10,001 characters) cannot be opened" in notices[0]
    assert "(10,000 characters) cannot be opened" in notices[1]


def test_every_spelling_of_a_folder_is_one_model_and_one_run(root):
    spellings = [
        str(root / "bert"),
        str(root) + "//bert",
        str(root / "bert" / ".." / "bert") + "/",
        os.path.relpath(root / "bert"),
    ]
    assert len({id(cache.get_model(spelling)) for spelling in spellings}) == 1
    assert len({id(cache.get_run(spelling, "the cat sat")) for spelling in spellings}) == 1


def test_the_json_of_a_long_run_is_refused_with_a_pointer_to_npz():
    short = open_page("heads", text="The cat sat.")
    long = open_page("heads", text=" ".join(["the cat sat on the mat"] * 40))
    labels = [button.proto.label for button in short.get("download_button")]
    assert any(label.startswith("JSON") for label in labels)
    labels = [button.proto.label for button in long.get("download_button")]
    assert not any(label.startswith("JSON") for label in labels)
    assert any(label.startswith("NPZ") for label in labels)
    assert any("download NPZ" in caption.value for caption in long.caption)


def test_run_json_refuses_above_its_limit(minilm):
    import attnviz
    from attnviz import export

    run = attnviz.run(minilm, "The cat sat.")
    assert export.run_numbers(run) == 6 * 12 * 6 * 6
    assert export.run_json(run, max_numbers=3000).startswith('{"model"')
    with pytest.raises(ValueError, match="download NPZ"):
        export.run_json(run, max_numbers=100)


@pytest.mark.parametrize("probe", PROBES[3:6])
def test_without_a_policy_odd_model_values_get_a_sentence(probe, monkeypatch):
    monkeypatch.delenv(ROOTS_VARIABLE, raising=False)
    app = open_page("heads", model=probe)
    assert not app.exception
    assert "cannot be opened" in plain(app.info[0].value) and figures(app)


@pytest.mark.parametrize(
    ("model", "text"), [("minilm-l6", "The cat sat."), ("transformer-en-es", "The red car.")]
)
def test_the_streamed_json_is_exactly_the_documented_object(model, text):
    import json

    import attnviz
    from attnviz import export

    run = attnviz.run(model, text)
    assert export.run_json(run) == json.dumps(run.to_json(), ensure_ascii=False)

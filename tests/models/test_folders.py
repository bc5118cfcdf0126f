"""The folder policy: which model folders a browser may open (ATTNVIZ_MODEL_ROOTS)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from attnviz.models import folders
from attnviz.models.folders import ROOTS_VARIABLE, browser_folder, model_roots


def roots(*paths: Path | str) -> dict[str, str]:
    return {ROOTS_VARIABLE: os.pathsep.join(str(path) for path in paths)}


@pytest.fixture
def disk(tmp_path: Path) -> dict[str, Path]:
    """A root with one model folder, and things outside it: a file, a folder, a symlink."""
    root = tmp_path / "models"
    (root / "bert").mkdir(parents=True)
    (root / "bert" / "config.json").write_text("{}")
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    (root / "leak").symlink_to(outside)
    return {"root": root, "model": root / "bert", "outside": outside}


def test_unset_means_no_policy_and_empty_means_off(disk):
    assert model_roots({}) is None
    assert model_roots(roots("")) == ()
    assert model_roots(roots(disk["root"], "", disk["outside"])) == (
        disk["root"].resolve(),
        disk["outside"].resolve(),
    )


def test_folders_inside_a_root_open_as_their_resolved_path(disk):
    environ = roots(disk["root"])
    for spelling in (
        str(disk["model"]),
        str(disk["root"]) + "//bert",
        str(disk["root"] / "bert" / ".." / "bert"),
        str(disk["root"] / "." / "bert") + "/",
    ):
        assert browser_folder(spelling, environ) == disk["model"].resolve()


def refusals(paths: list[str], environ: dict[str, str]) -> set[str]:
    """The refusal sentences with each path's own quotation taken out."""
    messages = set()
    for path in paths:
        with pytest.raises(ValueError) as refused:
            browser_folder(path, environ)
        messages.add(str(refused.value).replace(folders._quoted(path), "PATH"))
    return messages


def probes(disk) -> list[str]:
    return [
        "/etc/shadow",
        "/root",
        "/nonexistent/x",
        "/" + "a" * 300,
        "~nosuchuser/x",
        "9" * 5000,
        "/tmp/\0x",
        str(disk["outside"]),
        str(disk["outside"] / "secret.txt"),
        str(disk["root"] / "leak"),  # a symlink inside the root that points out of it
        str(disk["root"] / ".." / "private"),
        str(disk["root"]) + "/../private/secret.txt",
    ]


def test_every_refusal_reads_the_same_whatever_is_on_disk(disk):
    (sentence,) = refusals(probes(disk), roots(disk["root"]))
    assert "neither one of this server's models nor inside its model folders" in sentence


def test_empty_roots_refuse_every_folder_alike_even_a_real_model(disk):
    (sentence,) = refusals([*probes(disk), str(disk["model"])], roots(""))
    assert "opens its own models only" in sentence


def test_without_a_policy_odd_paths_get_a_sentence_not_an_exception(disk):
    for path in ("/" + "a" * 300, "~nosuchuser/x", "/tmp/\0x", "9" * 5000):
        try:
            browser_folder(path, {})
        except ValueError as error:
            assert "cannot be opened" in str(error)
    assert browser_folder(str(disk["model"]), {}) == disk["model"].resolve()


def test_a_shared_server_turns_folders_off_unless_the_teacher_set_roots():
    assert folders.shared_server_environment({}) == {ROOTS_VARIABLE: ""}
    assert folders.shared_server_environment(roots("/srv/models")) == roots("/srv/models")

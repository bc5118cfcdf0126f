"""Hugging Face names from a local cache the tests build, laid out as huggingface_hub lays it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import attnviz
from attnviz.models import hub_cache

ROOT = Path(__file__).resolve().parents[2]
COMMIT = "0123456789abcdef0123456789abcdef01234567"
TEXT = "the cat sat on the mat"


def add_to_cache(cache: Path, name: str, folder: Path, ref: bool = True) -> Path:
    """Put `folder`'s files into `cache` as `name`: blobs by hash, a snapshot of symlinks."""
    repo = cache / ("models--" + name.replace("/", "--"))
    snapshot = repo / "snapshots" / COMMIT
    (repo / "blobs").mkdir(parents=True)
    snapshot.mkdir(parents=True)
    for file in folder.iterdir():
        data = file.read_bytes()
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        (snapshot / file.name).symlink_to(os.path.relpath(blob, snapshot))
    if ref:
        (repo / "refs").mkdir()
        (repo / "refs" / "main").write_text(COMMIT)
    return snapshot


@pytest.fixture
def no_download(monkeypatch):
    """Fail the test if anything tries to download."""

    def refuse(name):
        raise AssertionError(f"tried to download {name}")

    monkeypatch.setattr(hub_cache, "download", refuse)


@pytest.fixture
def env(monkeypatch, tmp_path):
    for variable in ("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)  # "org/name" must not be a folder here
    return monkeypatch


def test_cache_dir_follows_the_environment_at_call_time(env, tmp_path):
    env.setenv("HOME", str(tmp_path / "home"))
    assert hub_cache.cache_dir() == tmp_path / "home" / ".cache" / "huggingface" / "hub"
    env.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert hub_cache.cache_dir() == tmp_path / "xdg" / "huggingface" / "hub"
    env.setenv("HF_HOME", str(tmp_path / "hf"))
    assert hub_cache.cache_dir() == tmp_path / "hf" / "hub"
    env.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    assert hub_cache.cache_dir() == tmp_path / "hub"


def test_a_cached_name_loads_offline_and_equals_its_folder(
    env, tmp_path, tiny_folders, no_download
):
    add_to_cache(tmp_path / "hub", "tiny-org/tiny-bert", tiny_folders["bert"])
    env.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    model = attnviz.load("tiny-org/tiny-bert")
    run = attnviz.run(model, TEXT)
    assert run.model == "tiny-org/tiny-bert"
    from_folder = attnviz.run(str(tiny_folders["bert"]), TEXT)
    np.testing.assert_array_equal(
        run.maps["encoder_self"].weights, from_folder.maps["encoder_self"].weights
    )


def test_a_legacy_name_without_an_org_loads_from_the_cache(env, tmp_path, tiny_folders):
    """bert-base-uncased and gpt2 are cached as models--bert-base-uncased, models--gpt2."""
    add_to_cache(tmp_path / "hub", "tiny-bert-uncased", tiny_folders["bert"])
    env.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    assert attnviz.run("tiny-bert-uncased", TEXT).model == "tiny-bert-uncased"
    with pytest.raises(ValueError, match=r"Unknown model 'tiny-bert-cased'.*in the local cache"):
        attnviz.load("tiny-bert-cased")  # not cached: a typo, most likely, not a download


def test_hf_home_is_honoured_and_a_cache_without_refs_counts(env, tmp_path, tiny_folders):
    add_to_cache(tmp_path / "hf" / "hub", "tiny-org/tiny-gpt2", tiny_folders["gpt2"], ref=False)
    env.setenv("HF_HOME", str(tmp_path / "hf"))
    run = attnviz.run("tiny-org/tiny-gpt2", TEXT)
    assert run.model == "tiny-org/tiny-gpt2" and run.kinds == ("decoder_self",)


def test_a_missing_name_says_how_to_download_and_downloads_nothing(env, tmp_path, no_download):
    env.setenv("HF_HUB_CACHE", str(tmp_path / "empty"))
    with pytest.raises(ValueError) as error:
        attnviz.load("bert-org/not-cached")
    message = str(error.value)
    assert "neither a model folder nor in the local Hugging Face cache" in message
    assert str(tmp_path / "empty") in message and "download=True" in message


def test_a_folder_of_that_name_wins_over_the_cache(env, tmp_path, tiny_folders, no_download):
    add_to_cache(tmp_path / "hub", "tiny-org/model", tiny_folders["gpt2"])
    env.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    (tmp_path / "tiny-org").mkdir()
    (tmp_path / "tiny-org" / "model").symlink_to(tiny_folders["bert"])
    assert attnviz.load("tiny-org/model").info.kinds == ("encoder_self",)


def _edit_config(snapshot: Path, **changes) -> None:
    config = json.loads((snapshot / "config.json").read_text())
    (snapshot / "config.json").unlink()
    (snapshot / "config.json").write_text(json.dumps({**config, **changes}))


def test_cached_snapshots_pass_the_folder_rules(env, tmp_path, tiny_folders):
    env.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    custom = add_to_cache(tmp_path / "hub", "tiny-org/custom", tiny_folders["bert"])
    _edit_config(custom, auto_map={"AutoModel": "modeling_evil.EvilModel"})
    with pytest.raises(ValueError, match=r"cached model 'tiny-org/custom' cannot be used.*custom"):
        attnviz.load("tiny-org/custom")
    pickled = add_to_cache(tmp_path / "hub", "tiny-org/pickled", tiny_folders["bert"])
    (pickled / "model.safetensors").unlink()
    (pickled / "pytorch_model.bin").write_bytes(b"not loaded")
    with pytest.raises(ValueError, match="only pickled weights"):
        attnviz.load("tiny-org/pickled")


def test_a_ref_to_a_missing_snapshot_is_not_cached(env, tmp_path, tiny_folders):
    snapshot = add_to_cache(tmp_path / "hub", "tiny-org/stale", tiny_folders["bert"])
    (snapshot.parents[1] / "refs" / "main").write_text("f" * 40)
    assert hub_cache.snapshot_folder("tiny-org/stale", tmp_path / "hub") is None


@pytest.mark.parametrize("name", ["../etc", "org/..", "-org/name", "a/b/c", "org/", "org name/x"])
def test_names_that_are_not_hub_ids_are_never_looked_up(name):
    assert not hub_cache.is_hub_name(name)
    assert hub_cache.snapshot_folder(name) is None


def test_the_command_line_resolves_a_cached_name(tmp_path, tiny_folders):
    add_to_cache(tmp_path / "hub", "tiny-org/tiny-bert", tiny_folders["bert"])
    environment = {**os.environ, "HF_HUB_CACHE": str(tmp_path / "hub"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "attnviz", "run", "tiny-org/tiny-bert", TEXT, "--json"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["model"] == "tiny-org/tiny-bert"
    assert result["source_tokens"] == ["[CLS]", *TEXT.split(), "[SEP]"]


class FakeHub:
    """The few Hub endpoints `snapshot_download` calls, served from a folder on 127.0.0.1."""

    def __init__(self, repo: str, folder: Path):
        import http.server
        import threading

        self.repo, self.files, self.requested = repo, {}, []
        for file in folder.iterdir():
            self.files[file.name] = file.read_bytes()
        self.files["pytorch_model.bin"] = b"pickled weights attnviz must never fetch"
        self.files["modeling_custom.py"] = b"raise SystemExit('code attnviz must never fetch')"
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                hub.answer(self, body=False)

            def do_GET(self):
                hub.answer(self, body=True)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"

    def answer(self, handler, body: bool) -> None:
        path = handler.path.split("?")[0]
        self.requested.append(path)
        resolve = f"/{self.repo}/resolve/{COMMIT}/"
        if path == f"/api/models/{self.repo}/revision/main":
            siblings = [{"rfilename": name} for name in self.files]
            self.send(handler, json.dumps({"id": self.repo, "sha": COMMIT, "siblings": siblings}))
        elif path == f"/api/models/{self.repo}/tree/{COMMIT}":
            tree = [
                {
                    "type": "file",
                    "path": name,
                    "size": len(data),
                    "oid": hashlib.sha1(data).hexdigest(),
                }
                for name, data in self.files.items()
            ]
            self.send(handler, json.dumps(tree))
        elif path.startswith(resolve) and path[len(resolve) :] in self.files:
            data = self.files[path[len(resolve) :]]
            etag = '"' + hashlib.sha256(data).hexdigest() + '"'
            self.send(handler, data, {"X-Repo-Commit": COMMIT, "ETag": etag}, body)
        else:
            handler.send_response(404)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

    @staticmethod
    def send(handler, data, headers=None, body: bool = True) -> None:
        data = data.encode() if isinstance(data, str) else data
        handler.send_response(200)
        for name, value in {"Content-Length": str(len(data)), **(headers or {})}.items():
            handler.send_header(name, value)
        handler.end_headers()
        if body:
            handler.wfile.write(data)


def test_download_fetches_only_safe_files_and_only_when_asked(env, tmp_path, tiny_folders):
    hub = FakeHub("tiny-org/fetched", tiny_folders["bert"])
    try:
        env.setenv("HF_ENDPOINT", hub.endpoint)
        env.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
        with pytest.raises(ValueError, match="downloads nothing by itself"):
            attnviz.load("tiny-org/fetched")
        assert hub.requested == []  # loading without the flag never touched the network
        run = attnviz.run(attnviz.download("tiny-org/fetched"), TEXT)
    finally:
        hub.server.shutdown()
    assert run.model == "tiny-org/fetched"
    fetched = {path.rsplit("/", 1)[-1] for path in hub.requested if "/resolve/" in path}
    assert fetched == {name for name in hub.files if not name.endswith((".bin", ".py"))}
    snapshot = hub_cache.snapshot_folder("tiny-org/fetched")
    assert snapshot is not None and (snapshot / "model.safetensors").is_file()
    assert not (snapshot / "pytorch_model.bin").exists()
    expected = attnviz.run(str(tiny_folders["bert"]), TEXT).maps["encoder_self"].weights
    np.testing.assert_array_equal(run.maps["encoder_self"].weights, expected)


def test_a_failed_download_is_one_sentence(env, tmp_path):
    env.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # the discard port: nothing listens
    env.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(ValueError, match=r"^Could not download 'tiny-org/nowhere': ") as error:
        attnviz.download("tiny-org/nowhere")
    assert "\n" not in str(error.value)


def test_the_command_line_downloads_only_with_its_flag(env, tmp_path, tiny_folders, capsys):
    from attnviz.__main__ import main

    hub = FakeHub("tiny-org/by-flag", tiny_folders["bert"])
    try:
        env.setenv("HF_ENDPOINT", hub.endpoint)
        env.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
        assert main(["run", "tiny-org/by-flag", TEXT]) == 2
        assert "downloads nothing by itself" in capsys.readouterr().err
        assert hub.requested == []
        assert main(["run", "tiny-org/by-flag", TEXT, "--download", "--json"]) == 0
    finally:
        hub.server.shutdown()
    assert json.loads(capsys.readouterr().out)["model"] == "tiny-org/by-flag"

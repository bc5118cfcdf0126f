"""attnviz loads offline without switching the whole process offline.

Importing `attnviz.models.hf` used to set HF_HUB_OFFLINE and TRANSFORMERS_OFFLINE, so a notebook
user's own `from_pretrained` of a model they had not downloaded failed. Now every load of
attnviz passes `local_files_only=True` instead. A child process with neither variable set and
the network cut off at the socket imports attnviz, loads and runs models of every kind, and
reports what it saw.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, os, socket, sys

before = dict(os.environ)
attempts = []


def refuse(*args, **kwargs):
    attempts.append(repr(args[:2])[:200])
    raise OSError("the network is cut off in this test")


socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

import attnviz
import attnviz.models.hf

after_import = dict(os.environ)
import torch

torch.set_num_threads(1)
outputs = {}
for folder in sys.argv[1:]:
    outputs[folder] = attnviz.run(attnviz.load(folder), "the cat sat on the mat").kinds
outputs["minilm-l6"] = attnviz.run("minilm-l6", "The cat sat.").kinds
outputs["sentiment-minilm"] = attnviz.run("sentiment-minilm", "A fine film.").kinds

import huggingface_hub.constants
from transformers.utils.hub import is_offline_mode

print(json.dumps({
    "changed_by_import": sorted(k for k in {**before, **after_import}
                                if before.get(k) != after_import.get(k)),
    "changed_by_loading": sorted(k for k in {**before, **os.environ}
                                 if before.get(k) != os.environ.get(k)),
    "attempts": attempts,
    "hub_offline": huggingface_hub.constants.HF_HUB_OFFLINE,
    "transformers_offline": is_offline_mode(),
    "outputs": outputs,
}))
"""


def test_loading_stays_offline_and_leaves_the_environment_alone(tiny_folders, tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    }
    environment.update(
        PYTHONPATH=str(REPO),
        HF_HOME=str(tmp_path / "hf-home"),  # an empty cache: nothing to find there either
        HF_HUB_CACHE=str(tmp_path / "hf-home" / "hub"),
        OMP_NUM_THREADS="1",
    )
    folders = [str(tiny_folders[name]) for name in ("bert", "gpt2", "t5", "bart")]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *folders],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["changed_by_import"] == []
    assert seen["changed_by_loading"] == []
    assert seen["hub_offline"] is False and seen["transformers_offline"] is False
    assert seen["attempts"] == []  # not one connection or name lookup
    assert seen["outputs"][folders[0]] == ["encoder_self"]
    assert seen["outputs"][folders[1]] == ["decoder_self"]
    assert seen["outputs"][folders[2]] == ["encoder_self", "decoder_self", "cross"]
    assert seen["outputs"]["minilm-l6"] == ["encoder_self"]
    assert seen["outputs"]["sentiment-minilm"] == ["encoder_self"]

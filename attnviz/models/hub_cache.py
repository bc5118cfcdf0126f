"""Hugging Face names ("org/name") resolved from the local Hugging Face cache, offline.

The cache is where `huggingface_hub` keeps what it downloaded: `$HF_HUB_CACHE`, else
`$HF_HOME/hub`, else `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`, read
when a name is resolved (not when attnviz is imported). A model there is the folder
`models--org--name/snapshots/<commit>/`, the commit named by `refs/main`. That folder passes
the same checks as any model folder (`attnviz.models.hf.check_folder`: safetensors only, no
custom code) before anything is loaded.

Nothing here touches the network unless asked: `download(name)` is the one deliberate act,
and it fetches only configuration, tokenizer and safetensors files, in a child process, so the
process that serves attnviz stays offline (its loads pass `local_files_only=True`,
`attnviz.models.hf.LOCAL_ONLY`).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# Hub repository ids: "org/name", or a legacy name without an org ("bert-base-uncased", cached
# as models--bert-base-uncased); letters, digits, "-", "_", "."; no "..", no leading "-" or ".".
HUB_NAME = re.compile(r"^(?:[A-Za-z0-9][\w.-]{0,95}/)?[A-Za-z0-9][\w.-]{0,95}$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
# What `download` fetches: never pickled weights (*.bin, *.pt), never code (*.py).
DOWNLOAD_PATTERNS = ("*.json", "*.safetensors", "*.txt", "*.model", "*.md")
DOWNLOAD_TIMEOUT = 3600.0  # seconds
# The child process of `download`: huggingface_hub alone, only the allowed files.
DOWNLOAD_SCRIPT = """
import os, sys
from huggingface_hub import snapshot_download
snapshot_download(sys.argv[1], cache_dir=os.environ["HF_HUB_CACHE"], allow_patterns=sys.argv[2:])
"""


def is_hub_name(name: str) -> bool:
    """True for a string shaped like a Hugging Face repository id, "org/name" or "name"."""
    return bool(HUB_NAME.match(name)) and ".." not in name


def cache_dir() -> Path:
    """The Hugging Face hub cache, from the environment as it is now."""
    hub_cache = os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE")
    if hub_cache:
        return Path(os.path.expandvars(hub_cache)).expanduser()
    home = os.environ.get("HF_HOME")
    if not home:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join("~", ".cache")
        home = os.path.join(xdg, "huggingface")
    return Path(os.path.expandvars(home)).expanduser() / "hub"


def snapshot_folder(name: str, cache: Path | None = None) -> Path | None:
    """The cached snapshot of `name` ("org/name"), or None when the cache does not hold it.

    The snapshot is the commit `refs/main` names; a cache without refs (filled by hand or by
    `snapshot_download(revision=<commit>)`) counts when it holds exactly one snapshot.
    """
    if not is_hub_name(name):
        return None
    repo = (cache or cache_dir()) / ("models--" + name.replace("/", "--"))
    snapshots = repo / "snapshots"
    if not snapshots.is_dir():
        return None
    ref = repo / "refs" / "main"
    if ref.is_file():
        commit = ref.read_text(encoding="utf-8", errors="replace").strip()
        folder = snapshots / commit
        return folder if COMMIT.match(commit) and folder.is_dir() else None
    found = [folder for folder in snapshots.iterdir() if folder.is_dir()]
    return found[0] if len(found) == 1 else None


def resolve(name: str) -> Path:
    """The checked model folder for `name` in the local cache; ValueError when it is missing."""
    folder = snapshot_folder(name)
    if folder is None:
        raise ValueError(
            f"{name!r} is neither a model folder nor in the local Hugging Face cache "
            f"({cache_dir()}); attnviz downloads nothing by itself: download it deliberately "
            "with attnviz.download(name) or attnviz.load(name, download=True)."
        )
    from attnviz.models.hf import check_folder

    try:
        return check_folder(folder)
    except ValueError as error:
        reason = str(error).replace(repr(str(folder)), "its cached snapshot")
        raise ValueError(f"The cached model {name!r} cannot be used: {reason}") from None


def download(name: str) -> Path:
    """Fetch `name` into the local cache (configuration, tokenizer, safetensors) and check it.

    The one function in attnviz that reaches the network. It runs `huggingface_hub` in a child
    process with offline mode switched off there only.
    """
    if not is_hub_name(name):
        raise ValueError(f"{name!r} is not a Hugging Face name; write it as org/name.")
    environment = {**os.environ, "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0"}
    environment["HF_HUB_CACHE"] = str(cache_dir())
    command = [sys.executable, "-c", DOWNLOAD_SCRIPT, name, *DOWNLOAD_PATTERNS]
    try:
        done = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise ValueError(f"Downloading {name!r} took longer than an hour; gave up.") from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["no reason given"]
        raise ValueError(f"Could not download {name!r}: {lines[-1][:300]}")
    return resolve(name)

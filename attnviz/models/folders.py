"""Which model folders a browser may open: the `ATTNVIZ_MODEL_ROOTS` policy.

On a shared server every browser user is a stranger, and a model folder path in a URL
(`/heads?model=/etc`) is a question about the server's disk. The policy:

- `ATTNVIZ_MODEL_ROOTS` unset: any folder, with the detailed reasons of `hf.check_folder`
  (local use, `make run`: the person at the browser owns the disk).
- set to a list of folders (separated like `PATH`, by `os.pathsep`): only folders inside one
  of them. A path is resolved first (`~`, symlinks, `..`, `//`), so no spelling leads out.
- set but empty: folders cannot be opened from the browser at all. `attnviz serve` (a server
  for a class) uses this unless the teacher sets roots: `shared_server_environment`.

A refused path always gets the same sentence, whether it exists, is a file, a folder or
nothing at all, so the refusal tells a stranger nothing about the disk. The command line and
the Python API (`attnviz.load`) are not browsers: they open any folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path

ROOTS_VARIABLE = "ATTNVIZ_MODEL_ROOTS"
FOLDERS_OFF = ""  # the value of ROOTS_VARIABLE that turns folder loading from the browser off
MAX_PATH_CHARACTERS = 4096  # Linux's PATH_MAX; longer text names no folder
REFUSED_OFF = (
    "Model {shown} cannot be opened: this server opens its own models only, no model folders."
)
REFUSED_OUTSIDE = (
    "Model {shown} cannot be opened: it is neither one of this server's models nor inside "
    "its model folders."
)
UNUSABLE = "Model {shown} cannot be opened: it is not a folder path this computer can open."


def model_roots(environ: Mapping[str, str] = os.environ) -> tuple[Path, ...] | None:
    """The resolved folders under which model folders may be opened; None: no policy (any)."""
    raw = environ.get(ROOTS_VARIABLE)
    if raw is None:
        return None
    roots = (resolve(part.strip()) for part in raw.split(os.pathsep) if part.strip())
    return tuple(root for root in roots if root is not None)


def resolve(path: str) -> Path | None:
    """The real path that `path` names (`~`, symlinks, `..` and `//` resolved), or None when
    it cannot name a path at all (too long, a NUL byte, an unknown user's `~`)."""
    if not path or len(path) > MAX_PATH_CHARACTERS or "\0" in path:
        return None
    expanded = os.path.expanduser(path)
    if expanded.startswith("~"):
        return None
    try:
        return Path(os.path.realpath(expanded))
    except (OSError, ValueError, RuntimeError):
        return None


def browser_folder(raw: str, environ: Mapping[str, str] = os.environ) -> Path:
    """The resolved folder a browser user may open for `raw`, or ValueError saying no.

    Only says where a folder may be; whether it holds a model is `hf.check_folder`'s question.
    """
    roots = model_roots(environ)
    shown = _quoted(raw)
    folder = resolve(raw)
    if roots is None:
        if folder is None:
            raise ValueError(UNUSABLE.format(shown=shown))
        return folder
    if not roots:
        raise ValueError(REFUSED_OFF.format(shown=shown))
    if folder is None or not any(folder.is_relative_to(root) for root in roots):
        raise ValueError(REFUSED_OUTSIDE.format(shown=shown))
    return folder


def shared_server_environment(environ: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Turn folder loading from the browser off for a shared server, unless roots are set.

    `attnviz serve` passes its replicas' environment through this.
    """
    environ.setdefault(ROOTS_VARIABLE, FOLDERS_OFF)
    return environ


def _quoted(raw: str, limit: int = 80) -> str:
    return repr(raw) if len(raw) <= limit else f"{raw[:limit] + '…'!r} ({len(raw):,} characters)"

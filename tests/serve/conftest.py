"""One real `python -m attnviz serve --replicas 2` for the module that needs it, and Chromium.

The pair is started once (replicas take seconds and CPU to start) on free loopback ports and
is always stopped: SIGTERM to serve, then SIGKILL to any process of its state file still alive.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.conftest import browser, free_port, page  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]


def start_serve(folder: Path, *options: str) -> tuple[subprocess.Popen, Path, Path]:
    """`python -m attnviz serve` with its state and logs in `folder`; returns it, state, output."""
    state, output = folder / "state.json", folder / "serve.out"
    command = [sys.executable, "-m", "attnviz", "serve", "--state", str(state)]
    command += ["--log-dir", str(folder / "logs"), *options]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with output.open("w") as out:
        process = subprocess.Popen(
            command, cwd=folder, stdout=out, stderr=subprocess.STDOUT, env=env
        )
    return process, state, output


def wait_for_state(process: subprocess.Popen, state: Path, output: Path, timeout=150) -> dict:
    deadline = time.monotonic() + timeout
    while not state.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"serve did not start: {output.read_text()[-2000:]}")
        time.sleep(0.3)
    return json.loads(state.read_text())


def stop_serve(process: subprocess.Popen, pids: list[int]) -> None:
    """SIGTERM to serve; whatever it started and is still alive after that is killed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    for pid in pids:
        with contextlib.suppress(OSError):  # gone already
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"attnviz" in command or b"haproxy" in command:  # not a reused pid
                os.kill(pid, signal.SIGKILL)


def state_pids(state: dict) -> list[int]:
    pids = [state["balancer"]["pid"]]
    return pids + [r["pid"] for r in state["replicas"] if r["pid"]]


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    """{"process", "state", "output", "url"} of a running pair behind HAProxy."""
    folder = tmp_path_factory.mktemp("serve")
    process, state_file, output = start_serve(folder, "--replicas", "2", "--port", str(free_port()))
    state: dict = {}
    try:
        state = wait_for_state(process, state_file, output)
        yield {
            "process": process,
            "state": state,
            "state_file": state_file,
            "output": output,
            "url": state["balancer"]["url"],
            "killed": [],  # replicas a test killed
        }
    finally:
        stop_serve(process, state_pids(state) if state else [])

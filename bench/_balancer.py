"""`load_class.py` through `python -m attnviz serve`: start it, find its replicas, kill one.

The class then reaches the app only through HAProxy on a free 127.0.0.1 port. Each student
first fetches the page, as a browser does, to get its affinity cookie; its WebSocket carries
the cookie, and the `X-Attnviz-Replica` header of the 101 answer says which replica holds
the session. After a replica is killed, a student whose socket broke reconnects like
Streamlit's frontend (health check, new WebSocket with its cookie, rerun from its URL).
"""

from __future__ import annotations

import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import LOOPBACK, ROOT, free_port, rss_mb

COOKIE = "ATTNVIZ_REPLICA"
HEADER = "X-Attnviz-Replica"


class Balanced:
    """A running `attnviz serve`: its process, state file contents and log folder."""

    def __init__(self, replicas: int, timeout: float = 240) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="attnviz-load-serve-"))
        state_file = self.folder / "state.json"
        port = free_port()
        command = [sys.executable, "-m", "attnviz", "serve", "--replicas", str(replicas)]
        command += ["--port", str(port), "--state", str(state_file)]
        command += ["--log-dir", str(self.folder / "logs")]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.output = self.folder / "serve.out"
        with self.output.open("w") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env
            )
        deadline = time.monotonic() + timeout
        while not state_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"attnviz serve did not start; see {self.output}")
            time.sleep(0.3)
        self.state = json.loads(state_file.read_text())
        self.url = self.state["balancer"]["url"]
        assert self.url.startswith(f"http://{LOOPBACK}:"), self.url
        self.killed: list[tuple[str, float]] = []  # (replica, monotonic time)

    @property
    def replicas(self) -> dict[str, dict]:
        return {replica["name"]: replica for replica in self.state["replicas"]}

    def logs(self) -> list[Path]:
        return [Path(replica["log"]) for replica in self.state["replicas"]]

    def rss_mb(self) -> float:
        """Resident memory of the live replicas, summed."""
        total = 0.0
        for replica in self.state["replicas"]:
            try:
                total += rss_mb(replica["pid"])
            except (OSError, RuntimeError):  # killed
                continue
        return total

    def kill(self, name: str) -> None:
        os.kill(self.replicas[name]["pid"], signal.SIGKILL)
        self.killed.append((name, time.monotonic()))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def fetch_cookie(url: str, cookie: str = "", path: str = "/heads") -> str:
    """GET through the balancer like a browser tab; the affinity cookie to send from now on."""
    request = urllib.request.Request(url + path, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
        new = response.headers.get("Set-Cookie", "").split(";")[0]
    return new if new.startswith(COOKIE + "=") else cookie


def spread(replicas_of_sessions: list[str]) -> str:
    """'replica-1 15, replica-2 15' from the replica each session was on."""
    counts = collections.Counter(replicas_of_sessions)
    return ", ".join(f"{name} {counts[name]}" for name in sorted(counts))

"""Helpers shared by the benchmarks: timing, texts of an exact token count, a loopback server.

Nothing here is part of the app; the benchmarks import it as `_common` from their own folder.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from argparse import ArgumentParser
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
CHROMIUM = os.environ.get("ATTNVIZ_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium reaches for Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Streamlit's default, a gc.collect(2) after every script run, which .streamlit/config.toml
# turns off (see bench/README.md); benchmarks pass this flag to measure the default.
POST_SCRIPT_GC = "--runner.postScriptGC=true"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# Words that MiniLM's WordPiece vocabulary keeps whole: n of them give n + 2 tokens.
WORDS = [
    "the",
    "cat",
    "sat",
    "on",
    "a",
    "mat",
    "while",
    "old",
    "dogs",
    "ran",
    "past",
    "green",
    "trees",
    "near",
    "small",
    "rivers",
    "and",
    "quiet",
    "houses",
    "under",
    "grey",
    "skies",
    "every",
    "morning",
    "before",
    "people",
    "went",
    "to",
    "work",
    "in",
    "busy",
    "towns",
    "far",
    "away",
]


def median_ms(function: Callable[[], object], repeats: int = 15, warmup: int = 2) -> float:
    """Median wall time of `function()` in milliseconds, after `warmup` untimed calls."""
    for _ in range(warmup):
        function()
    return statistics.median(time_ms(function) for _ in range(repeats))


def time_ms(function: Callable[..., object], *args: object) -> float:
    """Wall time of one call `function(*args)` in milliseconds."""
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) * 1000


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with `fraction` of the values at or below."""
    ordered = sorted(values)
    rank = max(1, round(fraction * len(ordered) + 0.4999))
    return ordered[min(rank, len(ordered)) - 1]


def text_of_tokens(n_tokens: int, seed: int = 0) -> str:
    """A text that MiniLM turns into exactly `n_tokens` tokens ([CLS] and [SEP] included).

    Different seeds give different texts (so different cache keys) of the same length.
    """
    chooser = random.Random(seed)
    return " ".join(chooser.choice(WORDS) for _ in range(n_tokens - 2))


def tokens_of(text: str) -> list[str]:
    """The tokens MiniLM makes of a `text_of_tokens` text (every word is one token)."""
    return ["[CLS]", *text.split(), "[SEP]"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def start_server(
    log_path: Path,
    timeout: float = 90,
    script_times: Path | None = None,
    options: Sequence[str] = (),
    own_session: bool = False,
) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` on a free loopback port; returns the process and its base URL.

    With `script_times`, the server appends one line per script run to that file: the wall
    clock at the end and the run's duration in ms (see `serve_with_script_times`).
    options: extra Streamlit flags, e.g. POST_SCRIPT_GC to measure Streamlit's default.
    own_session: start the server in a session of its own, so that Linux's autogroups give it
    a share of the CPU of its own, not one shared with the benchmark's driver.
    """
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if script_times is None:
        launcher = [sys.executable, "-m", "streamlit"]
    else:
        launcher = [sys.executable, str(Path(__file__).resolve()), "serve", str(script_times)]
    command = [
        *launcher,
        "run",
        "app.py",
        "--server.port",
        str(port),
        "--server.address",
        LOOPBACK,
        "--server.headless",
        "true",
        *options,
    ]
    log = log_path.open("w")
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=own_session,
    )
    url = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError(f"streamlit did not start within {timeout:.0f} s; see {log_path}")


def add_post_script_gc_option(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--post-script-gc",
        action="store_true",
        help=f"start the server with {POST_SCRIPT_GC}, Streamlit's default (ours is false)",
    )


def start_logged_server(
    prefix: str, post_script_gc: bool, own_session: bool = False
) -> tuple[subprocess.Popen, str, Path, Path]:
    """A loopback server whose log and script times go to a new temporary folder.

    Returns the process, its base URL, the log and the script-times file.
    """
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    log, script_times = folder / "streamlit.log", folder / "script_times.txt"
    options = [POST_SCRIPT_GC] if post_script_gc else []
    server, url = start_server(
        log, script_times=script_times, options=options, own_session=own_session
    )
    return server, url, log, script_times


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def rss_mb(pid: int) -> float:
    """Resident memory of process `pid` in MB, from /proc/PID/status (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def server_errors(log_path: Path) -> list[str]:
    """Lines of the server log that report an exception."""
    text = log_path.read_text(errors="replace")
    return [line for line in text.splitlines() if "Traceback" in line or "Error" in line]


def serve_with_script_times(times_path: Path, streamlit_args: list[str]) -> None:
    """Run Streamlit's command line with every script run timed, the app itself untouched.

    Wraps `ScriptRunner._run_script`, which runs a session's page script once per rerun; a
    rerun that interrupts a running script is timed inside the interrupted one.
    """
    import threading

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.web import cli

    original = script_runner.ScriptRunner._run_script
    lock = threading.Lock()

    def timed_run_script(self, rerun_data) -> None:
        start = time.perf_counter()
        try:
            original(self, rerun_data)
        finally:
            line = f"{time.time():.3f} {(time.perf_counter() - start) * 1000:.1f}\n"
            with lock, times_path.open("a") as times:
                times.write(line)

    script_runner.ScriptRunner._run_script = timed_run_script
    log_run_events(times_path.with_name(RUN_EVENTS), lock)
    sys.argv = ["streamlit", *streamlit_args]
    cli.main()


RUN_EVENTS = "run_events.txt"
WORKER_TIDS = "worker_tids.txt"  # the run workers' thread ids, for their CPU time in /proc


def log_run_events(events_path: Path, lock) -> None:
    """Append one line per event of the app's run scheduler (`attnviz.ui.scheduler`): wall
    clock, event (queued, shared, hit, started, done, failed, dropped, over_budget), a hash of
    the run's key, wall and CPU seconds (done and failed), queue length (queued and started);
    "-" where an event has none."""
    import threading

    try:
        from attnviz.ui.cache import SCHEDULER
    except ImportError:  # a checkout from before the scheduler (an A/B run): no events
        return

    workers: set[int] = set()

    def write(event: str, details: dict) -> None:
        if event == "started" and threading.get_native_id() not in workers:  # in the worker
            workers.add(threading.get_native_id())
            with lock, events_path.with_name(WORKER_TIDS).open("a") as tids:
                tids.write(f"{threading.get_native_id()}\n")
        seconds, cpu = details.get("seconds", "-"), details.get("cpu", "-")
        queue = details.get("queue", "-")
        line = f"{time.time():.3f} {event} {hash(details['key'])} {seconds} {cpu} {queue}\n"
        with lock, events_path.open("a") as events:
            events.write(line)

    SCHEDULER.listeners.append(write)


def read_run_events(events_path: Path, since: float, until: float) -> list[tuple]:
    """(wall clock, event, key hash, seconds, CPU seconds, queue length) between the times;
    None where an event has no such figure."""
    if not events_path.exists():
        return []
    events = []
    for line in events_path.read_text().splitlines():
        ended, event, key, seconds, cpu, queue = line.split()
        if since <= float(ended) <= until:
            figures = [None if value == "-" else float(value) for value in (seconds, cpu, queue)]
            events.append((float(ended), event, key, *figures))
    return events


def read_script_times(times_path: Path, since: float, until: float) -> list[float]:
    """Durations (ms) of the script runs that ended between the wall-clock times given."""
    if not times_path.exists():
        return []
    durations = []
    for line in times_path.read_text().splitlines():
        ended, duration = (float(field) for field in line.split())
        if since <= ended <= until:
            durations.append(duration)
    return durations


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    serve_with_script_times(Path(sys.argv[2]), sys.argv[3:])

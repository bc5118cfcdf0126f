"""Server memory under long texts: peak and settled RSS, before and after, in one run.

A few sessions (default 4) speak Streamlit's WebSocket protocol to /heads, exactly as
`load_class.py`'s students do, and each sends `--texts` new 600-word texts (MiniLM keeps 512
tokens: a 75 MB run), one as soon as the previous one is drawn (at most `--minutes`). The
server's RSS (/proc/PID/status) is sampled every 0.2 s. Figures: RSS once every session has
opened (baseline), the peak under load, RSS 15 s after the load stopped, and RSS `--settle`
seconds after it (long runs unused for two minutes leave the cache), every session still
open.

The same load runs against two servers in turn: one started from a copy of the code at
`--before` (by default the last commit before the memory fixes of issue 13, extracted with
`git archive`), and one from this checkout. Nothing but 127.0.0.1 is contacted.

Run: python bench/memory_long_texts.py [--sessions 4] [--texts 10] [--settle 165] [--before REF]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import LOOPBACK, ROOT, free_port, rss_mb, server_errors, stop_server, text_of_tokens
from load_class import Student

BEFORE = "676ca44"  # main before issue 13: pages/heads.py kept its maps in module globals
WORDS = 600
KEPT_TOKENS = 512  # MiniLM's limit: every long text is cut there, with a notice
PEAK_TARGET_MB = 2500


def source_tree(ref: str) -> Path:
    """A copy of the repository's files at `ref`, in a new temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="attnviz-before-"))
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def start(root: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` from `root` on a free loopback port, with that root's config."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", LOOPBACK, "--server.headless", "true"]
    env = {**os.environ, "PYTHONPATH": str(root)}
    process = subprocess.Popen(
        command, cwd=root, stdout=log.open("w"), stderr=subprocess.STDOUT, env=env
    )
    url = f"http://{LOOPBACK}:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError(f"streamlit did not start; see {log}")


async def sample(pid: int, samples: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(rss_mb(pid))
        await asyncio.sleep(0.2)


async def send_long_texts(
    student: Student, texts: int, until: float, sent: list[int], errors: list[str]
) -> None:
    """`texts` new 600-word texts, one after another, unless the deadline comes first."""
    serial = 0
    while serial < texts and time.monotonic() < until:
        serial += 1
        student.widgets["heads.text"] = text_of_tokens(WORDS + 2, 10_000 * student.number + serial)
        try:
            page = await asyncio.wait_for(student.rerun(), 120)
        except Exception as error:  # a lost socket or a timeout is an error of the run
            errors.append(f"{type(error).__name__}: {error}"[:160])
            return
        if page.errors or len(page.tokens) != KEPT_TOKENS:
            errors.append(f"{page.errors or len(page.tokens)}"[:160])
        sent[0] += 1


async def measure(url: str, pid: int, args: argparse.Namespace) -> dict:
    sessions, minutes, settle = args.sessions, args.minutes, args.settle
    students = [Student(url, number, (10, 10)) for number in range(sessions)]
    for student in students:
        await student.connect()
        await student.rerun(urlencode({"text": "The cat sat on the mat."}), page_name="heads")
    await asyncio.sleep(2)
    baseline = rss_mb(pid)
    samples: list[float] = []
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample(pid, samples, stop))
    sent, errors = [0], []
    until = time.monotonic() + 60 * minutes
    await asyncio.gather(*(send_long_texts(s, args.texts, until, sent, errors) for s in students))
    loaded = time.monotonic()
    await asyncio.sleep(15)
    stop.set()
    await sampler
    settled = rss_mb(pid)
    await asyncio.sleep(max(0.0, settle - 15))
    rested = rss_mb(pid)
    for student in students:
        await student.close()
    return {
        "baseline": baseline,
        "peak": max(samples),
        "settled": settled,
        "rested": rested,
        "texts": sent[0],
        "errors": errors,
        "seconds": loaded - (until - 60 * minutes),
    }


def one_server(name: str, root: Path, args: argparse.Namespace) -> dict:
    log = Path(tempfile.mkdtemp(prefix="attnviz-memory-")) / "streamlit.log"
    server, url = start(root, log)
    try:
        figures = asyncio.run(measure(url, server.pid, args))
    finally:
        stop_server(server)
    figures["log_errors"] = server_errors(log)
    print(
        f"{name:<7} baseline {figures['baseline']:5.0f} MB  peak {figures['peak']:5.0f} MB  "
        f"15 s after {figures['settled']:5.0f} MB  {args.settle:.0f} s after "
        f"{figures['rested']:5.0f} MB  ({figures['texts']} texts of {WORDS} words in "
        f"{figures['seconds']:.0f} s, {len(figures['errors'])} errors, "
        f"{len(figures['log_errors'])} server log errors)"
    )
    for error in [*figures["errors"], *figures["log_errors"]][:4]:
        print(f"        {error}")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--texts", type=int, default=10, help="long texts sent by each session")
    parser.add_argument("--minutes", type=float, default=5.0, help="hard stop for the texts")
    parser.add_argument("--settle", type=float, default=165.0, help="seconds after the load")
    parser.add_argument("--before", default=BEFORE, help="git ref of the code to compare with")
    parser.add_argument("--skip-before", action="store_true", help="measure this checkout only")
    args = parser.parse_args()
    print(f"{args.sessions} sessions on /heads, {args.texts} new {WORDS}-word texts each")
    results = {}
    if not args.skip_before:
        results["before"] = one_server("before", source_tree(args.before), args)
    results["after"] = one_server("after", ROOT, args)
    after = results["after"]
    verdict = "ok" if after["peak"] <= PEAK_TARGET_MB else "MISS"
    print(f"after: peak {after['peak']:.0f} MB, target <= {PEAK_TARGET_MB} MB: {verdict}")
    failed = after["errors"] or after["log_errors"] or after["peak"] > PEAK_TARGET_MB
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""A class of 30: concurrent browser sessions against one attnviz server on loopback.

Starts `streamlit run app.py` on a free 127.0.0.1 port (nothing else is ever contacted), opens
one headless Chromium with one context per student, and lets every student alternate between
typing a new sentence into /heads and clicking another head among the layer's thumbnails, with
a short random pause between actions, until the class has done `--interactions` actions in all
or `--minutes` have passed, whichever comes first.

Latency of one interaction: from the key press or click until the main figure shows the change
(the new tokens, or the new head in its title) and the app's script state is back to not
running. Errors: an interaction that times out, or an exception or error box on the page, or
a traceback in the server log. Memory: the server's RSS (/proc/PID/status) once every session
is open, and after the last interaction; the caches bound what can grow (runs 64, display
maps 32, models 8).

Run: python bench/load_class.py [--sessions 30] [--interactions 1000] [--minutes 4]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    IDLE,
    LOOPBACK,
    NO_POST_SCRIPT_GC,
    percentile,
    read_script_times,
    rss_mb,
    server_errors,
    start_server,
    stop_server,
    text_of_tokens,
    tokens_of,
)

P95_TARGET_S = 2.0
INTERACTION_TIMEOUT_MS = 30_000
ERROR_BOXES = "[data-testid='stException'], [data-testid='stAlertContentError']"
# The main figure shows exactly `tokens` and a title ending in `head` (null: any head), and is
# idle. Streamlit's theme wraps the title in <b> tags.
SHOWN = """([tokens, head, idle]) => {
  if (!document.querySelector(idle)) return false;
  const plot = document.querySelector('.js-plotly-plot');
  if (!plot || !plot._fullData || !plot._fullData[0] || !plot.layout.title) return false;
  const title = String(plot.layout.title.text || '').replace(/<[^>]*>/g, '');
  if (head !== null && !title.endsWith('head ' + head)) return false;
  const x = Array.from(plot._fullData[0].x || [], label => label.replace(/\\u200b/g, ''));
  return x.length === tokens.length && x.every((label, i) => label === tokens[i]);
}"""
# Centre of the small multiple of `head` in page coordinates, scrolled into view first.
THUMBNAIL_CENTRE = """(head) => {
  const plot = document.querySelectorAll('.js-plotly-plot')[1];
  plot.scrollIntoView({block: 'center'});
  const suffix = head === 0 ? '' : String(head + 1);
  const xa = plot._fullLayout['xaxis' + suffix], ya = plot._fullLayout['yaxis' + suffix];
  const box = plot.getBoundingClientRect();
  return {x: box.left + xa._offset + xa._length / 2, y: box.top + ya._offset + ya._length / 2};
}"""


@dataclasses.dataclass
class Interaction:
    session: int
    action: str  # "sentence" or "head"
    seconds: float
    error: str | None = None


@dataclasses.dataclass
class Class:
    """The shared budget of the whole class and what it measured."""

    limit: int
    minutes: float
    pause: tuple[float, float]  # seconds a student waits between actions (uniform)
    sessions: int
    opened: int = 0
    started: int = 0
    deadline: float = 0.0
    go: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    all_open: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    done: list[Interaction] = dataclasses.field(default_factory=list)
    open_errors: list[str] = dataclasses.field(default_factory=list)

    def mark_open(self, error: str | None = None) -> None:
        self.opened += 1
        if error:
            self.open_errors.append(error)
        if self.opened == self.sessions:
            self.all_open.set()

    def start(self) -> None:
        self.deadline = time.monotonic() + 60 * self.minutes
        self.go.set()

    def take_turn(self) -> bool:
        if self.started >= self.limit or time.monotonic() >= self.deadline:
            return False
        self.started += 1
        return True


async def wait_shown(page, tokens: list[str], head: int | None) -> None:
    await page.wait_for_function(
        SHOWN, arg=[tokens, head, IDLE], polling="raf", timeout=INTERACTION_TIMEOUT_MS
    )


async def new_sentence(page, text: str) -> list[str]:
    area = page.locator("textarea").first
    await area.fill(text)
    await area.press("Control+Enter")
    tokens = tokens_of(text)
    await wait_shown(page, tokens, None)
    return tokens


async def click_head(page, head: int, tokens: list[str]) -> None:
    centre = await page.evaluate(THUMBNAIL_CENTRE, head)
    await page.mouse.click(centre["x"], centre["y"])
    await wait_shown(page, tokens, head)


async def open_session(browser, url: str, number: int, school: Class, chooser: random.Random):
    """A new context on /heads with a sentence of its own; returns (context, page, tokens)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    text = text_of_tokens(chooser.randint(8, 40), seed=number)
    tokens = tokens_of(text)
    try:
        await page.goto(f"{url}/heads?" + urlencode({"text": text}))
        await page.wait_for_function(
            SHOWN, arg=[tokens, None, IDLE], polling=250, timeout=10 * INTERACTION_TIMEOUT_MS
        )
        school.mark_open()
    except Exception as failure:
        school.mark_open(f"session {number}: {type(failure).__name__}")
    return context, page, tokens


async def act(page, action: str, seed: int, head: int, tokens: list[str], chooser) -> list[str]:
    """One interaction; returns the tokens now shown."""
    if action == "sentence":
        return await new_sentence(page, text_of_tokens(chooser.randint(8, 40), seed))
    await click_head(page, head, tokens)
    return tokens


async def student(browser, url: str, number: int, school: Class) -> None:
    """One session: open /heads, then alternate a new sentence with two head clicks."""
    chooser = random.Random(number)
    context, page, tokens = await open_session(browser, url, number, school, chooser)
    await school.go.wait()
    head, serial = 0, 0
    while school.take_turn():
        await asyncio.sleep(chooser.uniform(*school.pause))
        serial += 1
        action = "sentence" if serial % 3 == 1 else "head"
        head = (head + chooser.randint(1, 11)) % 12 if action == "head" else head
        start = time.perf_counter()
        error = None
        try:
            tokens = await act(
                page, action, 100_000 + number * 1000 + serial, head, tokens, chooser
            )
            if await page.locator(ERROR_BOXES).count():
                error = "error box on the page"
        except Exception as failure:  # a timeout or a lost page counts as an error, not a crash
            error = f"{type(failure).__name__}: {str(failure).splitlines()[0][:120]}"
        school.done.append(Interaction(number, action, time.perf_counter() - start, error))
    await context.close()


async def sample_memory(pid: int, samples: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(rss_mb(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=2)


async def run_class(url: str, pid: int, school: Class, first: int) -> tuple[Class, dict]:
    """Open every session, measure RSS, let the class work, measure RSS again.

    first: the number of the first student; numbers seed each student's sentences.
    """
    from playwright.async_api import async_playwright

    memory: dict[str, float] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        students = []
        for number in range(first, first + school.sessions):
            students.append(asyncio.create_task(student(browser, url, number, school)))
            await asyncio.sleep(0.3)  # students arrive over some seconds, not in one instant
        await asyncio.wait_for(school.all_open.wait(), timeout=600)
        memory["before"] = rss_mb(pid)
        samples: list[float] = []
        stop = asyncio.Event()
        sampler = asyncio.create_task(sample_memory(pid, samples, stop))
        started = time.monotonic()
        memory["since"] = time.time()
        school.start()
        results = await asyncio.gather(*students, return_exceptions=True)
        memory["elapsed"] = time.monotonic() - started
        memory["until"] = time.time()
        stop.set()
        await sampler
        memory["after"] = rss_mb(pid)
        memory["peak"] = max([*samples, memory["after"]])
        memory["crashed"] = sum(isinstance(result, Exception) for result in results)
        await browser.close()
    return school, memory


def report(school: Class, memory: dict, log: Path) -> int:
    """Print latency percentiles, errors and memory; return the number of errors."""
    done = school.done
    errors = [item for item in done if item.error]
    print(f"{len(done)} interactions in {memory['elapsed']:.0f} s by {school.sessions} session(s)")
    for action in ("sentence", "head", None):
        times = [i.seconds for i in done if not i.error and action in (None, i.action)]
        if not times:
            continue
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        name = action or "all"
        verdict = "ok" if p95 <= P95_TARGET_S else "MISS"
        print(
            f"  {name:<9} n={len(times):>4}  p50 {p50:5.2f} s  p95 {p95:5.2f} s  max"
            f" {max(times):5.2f} s" + (f"  target p95 <= {P95_TARGET_S} s {verdict}" * (not action))
        )
    log_errors = server_errors(log)
    total = len(errors) + len(school.open_errors) + int(memory["crashed"]) + len(log_errors)
    print(f"errors: {total} (target 0)")
    print(f"  interactions {len(errors)}, openings {len(school.open_errors)}")
    print(f"  crashed sessions {int(memory['crashed'])}, server log lines {len(log_errors)}")
    for item in errors[:8]:
        print(f"  session {item.session} {item.action}: {item.error}")
    for line in [*school.open_errors, *log_errors][:12]:
        print("  " + line)
    growth = memory["after"] - memory["before"]
    print(
        f"server RSS: {memory['before']:.0f} MB with every session open, {memory['after']:.0f} MB"
        f" after the interactions (growth {growth:+.0f} MB), peak {memory['peak']:.0f} MB"
    )
    print(f"server log: {log}")
    return total


def report_script_times(durations: list[float]) -> None:
    """The server's own time per script run during the interactions (no browser in it)."""
    if not durations:
        print("server script runs: none recorded")
        return
    p50, p95 = percentile(durations, 0.5), percentile(durations, 0.95)
    print(
        f"server script runs: n={len(durations)}  p50 {p50:.0f} ms  p95 {p95:.0f} ms"
        f"  max {max(durations):.0f} ms (server side only)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--interactions", type=int, default=1000, help="in all, then stop")
    parser.add_argument("--minutes", type=float, default=4.0, help="hard stop for the actions")
    parser.add_argument("--pause-min", type=float, default=1.0, help="seconds between actions")
    parser.add_argument("--pause-max", type=float, default=3.0)
    parser.add_argument(
        "--no-post-script-gc",
        action="store_true",
        help=f"start the server with {NO_POST_SCRIPT_GC} (Streamlit's default is true)",
    )
    parser.add_argument(
        "--baseline", type=int, default=15, help="interactions of one session alone first (0: skip)"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="attnviz-load-"))
    log, script_times = folder / "streamlit.log", folder / "script_times.txt"
    options = [NO_POST_SCRIPT_GC] if args.no_post_script_gc else []
    server, url = start_server(log, script_times=script_times, options=options)
    assert url.startswith(f"http://{LOOPBACK}:"), url
    print(f"server {url} (pid {server.pid}) {' '.join(options)}, {time.ctime()}")
    pause = (args.pause_min, args.pause_max)
    phases = [("one session alone (baseline)", Class(args.baseline, 2, pause, 1), 10_000)]
    phases.append(("the class", Class(args.interactions, args.minutes, pause, args.sessions), 0))
    errors = 0
    try:
        for name, school, first in phases:
            if not school.limit:
                continue
            print(f"\n## {name}")
            school, memory = asyncio.run(run_class(url, server.pid, school, first))
            errors += report(school, memory, log)
            times = read_script_times(script_times, memory["since"], memory["until"])
            report_script_times(times)
    finally:
        stop_server(server)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

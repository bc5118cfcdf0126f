"""A class of 30: concurrent sessions speaking Streamlit's WebSocket protocol to one server.

Starts `streamlit run app.py` on a free 127.0.0.1 port (nothing else is ever contacted) and
connects one WebSocket per student to `/_stcore/stream`, exactly as the browser's frontend
does: each interaction is a `BackMsg` asking for a rerun with the widget values the student
has set, and the server answers with `ForwardMsg`s (every element of the page, the URL's new
query string) until `script_finished`. No page is drawn, so 30 students cost the driver a
few per cent of a core instead of 30 Chromium renderers (the previous driver, which drowned
the two cores in rendering; `bench_browser.py` measures drawing on its own).

Every student opens /heads with a sentence of its own, then, with a random pause between
actions, types a new sentence (one interaction in three) or picks another head, sometimes in
another layer, until the class has done `--interactions` in all or `--minutes` have passed.

Latency of one interaction: from sending the rerun until the server's `script_finished`,
with every element of the page received. The answer is checked: the main figure must show
the student's tokens and the chosen layer and head in its title. Errors: a timeout, a wrong
figure, an exception or error box among the elements, a run that did not finish, a
traceback in the server log. Memory: the server's RSS (/proc/PID/status) with every session
open, after each quarter of the interactions, and at the end; the caches bound what can grow
(`attnviz/ui/cache.py`).

Through the balancer (`--replicas N`): the same class reaches N replicas of the app through
`python -m attnviz serve` (HAProxy, cookie affinity; see `_balancer.py`); the report adds which
replica served how many sessions. `--kill-replica-at 0.5` kills (SIGKILL) the replica holding
most sessions once half the interactions are done: the interactions it had in flight fail
(counted as errors), and every student whose socket broke reconnects as the browser does and
must get its view back from its URL on a live replica (sessions recovered).

Run: python bench/load_class.py [--sessions 30] [--interactions 1000] [--minutes 10]
     python bench/load_class.py --replicas 2 [--kill-replica-at 0.5]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _balancer import HEADER, Balanced, fetch_cookie, spread
from _common import (
    LOOPBACK,
    POST_SCRIPT_GC,
    add_post_script_gc_option,
    percentile,
    read_script_times,
    rss_mb,
    server_errors,
    start_logged_server,
    stop_server,
    text_of_tokens,
    tokens_of,
)

P95_TARGET_S = 2.0
TIMEOUT_S = 30.0
LAYERS, HEADS = 6, 12  # minilm-l6, the default model of /heads
# Streamlit's answer to a rerun ends with one of these (ForwardMsg.ScriptFinishedStatus).
FINISHED, EARLY_FOR_RERUN = 0, 2


class WrongAnswer(Exception):
    """The server answered, but not with what the student asked for."""


@dataclasses.dataclass
class Interaction:
    session: int
    action: str  # "open", "sentence", "head" or "layer"
    seconds: float
    error: str | None = None


@dataclasses.dataclass
class Page:
    """What one rerun sent back: widget ids by key, the main figure, errors shown."""

    widget_ids: dict[str, str]
    title: str
    tokens: list[str]
    query_string: str
    page_script_hash: str
    errors: list[str]


def read_answer(messages: list) -> Page:
    """The parts of a rerun's ForwardMsgs that the driver acts on and checks."""
    widget_ids: dict[str, str] = {}
    title, tokens, query, page_hash, errors = "", [], "", "", []
    for message in messages:
        kind = message.WhichOneof("type")
        if kind == "navigation":  # st.navigation names the page shown; reruns send it back
            page_hash = message.navigation.page_script_hash
        elif kind == "page_info_changed":
            query = message.page_info_changed.query_string
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            name = element.WhichOneof("type")
            body = getattr(element, name)
            if name == "exception":
                errors.append(f"exception: {body.type}: {body.message[:100]}")
            elif name == "alert" and body.format == body.ERROR:
                errors.append(f"error box: {body.body[:100]}")
            widget_id = getattr(body, "id", "")
            if widget_id.startswith("$$ID-"):
                widget_ids[widget_id.split("-", 2)[2]] = widget_id
            if name == "plotly_chart" and widget_id.endswith("-heads.main"):
                spec = json.loads(body.spec)
                title = str(spec["layout"].get("title", {}).get("text", ""))
                tokens = [label.replace("\u200b", "") for label in spec["data"][0].get("x", [])]
    return Page(widget_ids, title, tokens, query, page_hash, errors)


class Student:
    """One browser tab's worth of protocol: a WebSocket, the widget values it has set."""

    def __init__(
        self, url: str, number: int, lengths: tuple[int, int], balanced: bool = False
    ) -> None:
        self.http_url = url
        self.url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.balanced = balanced  # through `attnviz serve`: fetch the page for the cookie first
        self.cookie = ""
        self.replica = ""  # the X-Attnviz-Replica of its WebSocket
        self.number = number
        self.lengths = lengths  # tokens of a sentence, smallest and largest
        self.chooser = random.Random(number)
        self.widgets: dict[str, object] = {}  # widget key -> value this student set
        self.page: Page | None = None
        self.socket = None

    async def connect(self, path: str = "/heads") -> None:
        import websockets

        headers = {}
        if self.balanced:
            self.cookie = await asyncio.to_thread(fetch_cookie, self.http_url, self.cookie, path)
            headers["Cookie"] = self.cookie
        self.socket = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, additional_headers=headers
        )
        self.replica = self.socket.response.headers.get(HEADER, "")

    def disconnected(self) -> bool:
        return self.socket is not None and self.socket.close_code is not None

    async def reconnect(self, tokens: list[str], where: list[int]) -> list[str]:
        """As Streamlit's frontend after a lost socket: health check, a new WebSocket, a rerun
        from the URL of the last view it showed (no widget values), which must come back."""
        await self.close()
        for attempt in range(10):
            try:
                await self.connect(path="/_stcore/health")
                break
            except OSError:
                await asyncio.sleep(1 + attempt)
        self.widgets = {}
        page = await self.rerun(self.page.query_string, page_name="heads")
        check(page, tokens, *where)
        return tokens

    async def rerun(self, query_string: str = "", page_name: str = "") -> Page:
        """Ask for a rerun with every widget value set so far; wait for the run to finish."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        request = BackMsg()
        state = request.rerun_script
        state.query_string = query_string or (self.page.query_string if self.page else "")
        state.page_name = page_name
        state.page_script_hash = self.page.page_script_hash if self.page else ""
        for key, value in self.widgets.items():
            widget = state.widget_states.widgets.add()
            widget.id = self.page.widget_ids[key]
            widget.string_value = str(value)
        await self.socket.send(request.SerializeToString())
        messages = []
        while True:
            message = ForwardMsg()
            message.ParseFromString(await self.socket.recv())
            if message.WhichOneof("type") != "script_finished":
                messages.append(message)
            elif message.script_finished == FINISHED:
                break
            elif message.script_finished == EARLY_FOR_RERUN:
                messages.clear()  # the app asked for a rerun of its own; its answer follows
            else:
                raise WrongAnswer(f"script finished with status {message.script_finished}")
        page = read_answer(messages)
        if self.page and not page.page_script_hash:
            page.page_script_hash = self.page.page_script_hash
        self.page = page
        return page

    async def open(self) -> list[str]:
        await self.connect()
        text = text_of_tokens(self.chooser.randint(*self.lengths), seed=self.number)
        page = await self.rerun(urlencode({"text": text}), page_name="heads")
        check(page, tokens_of(text), 0, 0)
        return tokens_of(text)

    async def act(self, action: str, serial: int, tokens: list[str], where: list[int]):
        """One interaction; returns the tokens now shown."""
        if action == "sentence":
            seed = 100_000 + self.number * 1000 + serial
            text = text_of_tokens(self.chooser.randint(*self.lengths), seed)
            self.widgets["heads.text"] = text
            tokens = tokens_of(text)
        elif action == "layer":
            where[0] = (where[0] + self.chooser.randint(1, LAYERS - 1)) % LAYERS
            self.widgets["heads.layer"] = where[0]
        else:
            where[1] = (where[1] + self.chooser.randint(1, HEADS - 1)) % HEADS
            self.widgets["heads.head"] = where[1]
        check(await self.rerun(), tokens, *where)
        return tokens

    async def close(self) -> None:
        if self.socket is not None:
            with contextlib.suppress(Exception):  # already broken
                await self.socket.close()


def check(page: Page, tokens: list[str], layer: int, head: int) -> None:
    if page.errors:
        raise WrongAnswer("; ".join(page.errors))
    title = page.title.replace("<b>", "").replace("</b>", "")
    if not title.endswith(f"layer {layer} · head {head}"):
        raise WrongAnswer(f"main figure titled {title!r}, wanted layer {layer} head {head}")
    if page.tokens != tokens:
        raise WrongAnswer(f"main figure shows {len(page.tokens)} tokens, wanted {len(tokens)}")


@dataclasses.dataclass
class Class:
    """The shared budget of the whole class and what it measured."""

    limit: int
    minutes: float
    pause: tuple[float, float]  # seconds a student waits between actions (uniform)
    sessions: int
    lengths: tuple[int, int] = (8, 40)  # tokens of each sentence typed (uniform)
    started: int = 0
    deadline: float = 0.0
    go: asyncio.Event = dataclasses.field(default_factory=asyncio.Event)
    done: list[Interaction] = dataclasses.field(default_factory=list)
    opened: list[Interaction] = dataclasses.field(default_factory=list)
    memory: list[tuple[int, float]] = dataclasses.field(default_factory=list)
    balanced: bool = False  # through `attnviz serve`
    reconnects: list[Interaction] = dataclasses.field(default_factory=list)
    replica_at_open: list[str] = dataclasses.field(default_factory=list)
    replica_at_end: list[str] = dataclasses.field(default_factory=list)

    def start(self) -> None:
        self.deadline = time.monotonic() + 60 * self.minutes
        self.go.set()

    def take_turn(self) -> bool:
        if self.started >= self.limit or time.monotonic() >= self.deadline:
            return False
        self.started += 1
        return True


async def timed(action: str, number: int, work) -> tuple[Interaction, object]:
    start = time.perf_counter()
    error, result = None, None
    try:
        result = await asyncio.wait_for(work, TIMEOUT_S)
    except Exception as failure:  # a timeout or a lost socket is an error, not a crash
        text = str(failure).splitlines()[0][:160] if str(failure) else ""
        error = f"{type(failure).__name__}: {text}"
    return Interaction(number, action, time.perf_counter() - start, error), result


async def student(url: str, number: int, school: Class) -> None:
    """One session: open /heads, then a new sentence every third action, else another head."""
    pupil = Student(url, number, school.lengths, school.balanced)
    opening, tokens = await timed("open", number, pupil.open())
    school.opened.append(opening)
    school.replica_at_open.append(pupil.replica)
    await school.go.wait()
    where, serial = [0, 0], 0
    while tokens is not None and school.take_turn():
        await asyncio.sleep(pupil.chooser.uniform(*school.pause))
        serial += 1
        if school.balanced and pupil.disconnected():  # its replica died while it waited
            tokens = await recover(pupil, school, tokens, where)
            if tokens is None:
                break
        shown_before = (tokens, list(where))
        action = "sentence" if serial % 3 == 1 else ("layer" if serial % 6 == 0 else "head")
        interaction, shown = await timed(action, number, pupil.act(action, serial, tokens, where))
        school.done.append(interaction)
        tokens = shown if shown is not None else None  # after an error the page is unknown
        if tokens is None and school.balanced and pupil.disconnected():
            tokens, where[:] = shown_before  # the URL still shows the last view drawn
            tokens = await recover(pupil, school, tokens, where)
    school.replica_at_end.append(pupil.replica if tokens is not None else "")
    await pupil.close()


async def recover(pupil: Student, school: Class, tokens: list[str], where: list[int]):
    """Reconnect through the balancer; the tokens shown, or None if the view did not return."""
    interaction, shown = await timed("reconnect", pupil.number, pupil.reconnect(tokens, where))
    school.reconnects.append(interaction)
    return shown


async def sample_memory(measure, school: Class) -> None:
    """RSS with every session open, then after each quarter of the interaction budget."""
    school.memory.append((0, measure()))
    quarters = sorted({school.limit * q // 4 for q in (1, 2, 3)} - {0})
    while not (school.go.is_set() and time.monotonic() >= school.deadline):
        if quarters and len(school.done) >= quarters[0]:
            school.memory.append((len(school.done), measure()))
            quarters.pop(0)
        await asyncio.sleep(0.5)


async def kill_halfway(balanced: Balanced, school: Class, fraction: float) -> None:
    """SIGKILL the replica holding most sessions once `fraction` of the budget is done."""
    while len(school.done) < fraction * school.limit:
        await asyncio.sleep(0.1)
    busiest = max(balanced.replicas, key=school.replica_at_open.count)
    balanced.kill(busiest)
    print(f"  killed {busiest} after {len(school.done)} interactions")


async def run_class(url: str, measure, school: Class, first: int, killer=None) -> dict:
    """Open every session, let the class work, and measure the server on the way."""
    students = []
    for number in range(first, first + school.sessions):
        students.append(asyncio.create_task(student(url, number, school)))
        await asyncio.sleep(0.2)  # students arrive over some seconds, not in one instant
    while len(school.opened) < school.sessions:
        await asyncio.sleep(0.2)
    school.start()
    sampler = asyncio.create_task(sample_memory(measure, school))
    stopper = asyncio.create_task(killer(school)) if killer else None
    since, started = time.time(), time.monotonic()
    results = await asyncio.gather(*students, return_exceptions=True)
    elapsed = time.monotonic() - started
    sampler.cancel()
    if stopper:
        stopper.cancel()
    school.memory.append((len(school.done), measure()))
    crashed = [f"{type(r).__name__}: {r}" for r in results if isinstance(r, Exception)]
    return {"since": since, "until": time.time(), "elapsed": elapsed, "crashed": crashed}


def report(school: Class, run: dict, logs: list[Path]) -> int:
    """Print latency percentiles, errors and memory; return the number of errors."""
    done = school.done
    print(f"{len(done)} interactions in {run['elapsed']:.0f} s by {school.sessions} session(s)")
    for action in ("open", "sentence", "head", "layer", None):
        pool = school.opened if action == "open" else done
        times = [i.seconds for i in pool if not i.error and action in (None, i.action)]
        if not times:
            continue
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        verdict = "ok" if p95 <= P95_TARGET_S else "MISS"
        print(
            f"  {action or 'all':<9} n={len(times):>4}  p50 {p50:5.2f} s  p95 {p95:5.2f} s  max"
            f" {max(times):5.2f} s" + (f"  target p95 <= {P95_TARGET_S} s {verdict}" * (not action))
        )
    errors = [i for i in [*school.opened, *done] if i.error]
    log_errors = [line for log in logs for line in server_errors(log)]
    total = len(errors) + len(run["crashed"]) + len(log_errors)
    print(f"errors: {total} (target 0)")
    print(f"  interactions and openings {len(errors)}, crashed students {len(run['crashed'])}")
    print(f"  server log lines {len(log_errors)}")
    for item in errors[:8]:
        print(f"  session {item.session} {item.action}: {item.error}")
    for line in [*run["crashed"], *log_errors][:8]:
        print("  " + line)
    steps = ", ".join(f"{mb:.0f} MB after {n}" for n, mb in school.memory)
    print(f"server RSS{' (live replicas, summed)' * school.balanced}: {steps} interactions")
    if school.balanced:
        report_replicas(school)
    return total


def report_replicas(school: Class) -> None:
    """Which replica served how many sessions; after a kill, the sessions that came back."""
    print(f"sessions per replica when opened: {spread(school.replica_at_open)}")
    ended = [name for name in school.replica_at_end if name]
    lost = len(school.replica_at_end) - len(ended)
    print(f"sessions per replica at the end: {spread(ended)}" + f", lost {lost}" * bool(lost))
    if not school.reconnects:
        return
    back = [i for i in school.reconnects if not i.error]
    times = [i.seconds for i in back] or [0.0]
    print(
        f"sessions recovered: {len({i.session for i in back})} of"
        f" {len({i.session for i in school.reconnects})} that lost their socket; reconnect"
        f" to view back p50 {percentile(times, 0.5):.2f} s  p95 {percentile(times, 0.95):.2f} s"
    )
    for item in [i for i in school.reconnects if i.error][:8]:
        print(f"  session {item.session} reconnect: {item.error}")


def report_script_times(durations: list[float]) -> None:
    """The server's own time per script run during the interactions (no network in it)."""
    if not durations:
        print("server script runs: none recorded")
        return
    p50, p95 = percentile(durations, 0.5), percentile(durations, 0.95)
    print(
        f"server script runs: n={len(durations)}  p50 {p50:.0f} ms  p95 {p95:.0f} ms"
        f"  max {max(durations):.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--interactions", type=int, default=1000, help="in all, then stop")
    parser.add_argument("--minutes", type=float, default=10.0, help="hard stop for the actions")
    parser.add_argument("--pause-min", type=float, default=1.0, help="seconds between actions")
    parser.add_argument("--pause-max", type=float, default=3.0)
    parser.add_argument("--min-tokens", type=int, default=8, help="of each sentence typed")
    parser.add_argument("--max-tokens", type=int, default=40, help="up to MiniLM's 512")
    parser.add_argument(
        "--baseline", type=int, default=30, help="interactions of one session alone first (0: skip)"
    )
    add_post_script_gc_option(parser)
    parser.add_argument(
        "--replicas", type=int, default=0, help="through `attnviz serve` with N replicas (0: off)"
    )
    parser.add_argument(
        "--kill-replica-at",
        type=float,
        default=0.0,
        help="with --replicas: kill the busiest replica after this fraction of the class's budget",
    )
    args = parser.parse_args()
    if args.replicas:
        return main_balanced(args)
    server, url, log, script_times = start_logged_server("attnviz-load-", args.post_script_gc)
    options = POST_SCRIPT_GC if args.post_script_gc else ""
    assert url.startswith(f"http://{LOOPBACK}:"), url
    print(f"server {url} (pid {server.pid}) {options}, {time.ctime()}")
    errors = 0
    try:
        asyncio.run(warm_up([url]))
        for name, school, first in phases(args):
            print(f"\n## {name}")
            run = asyncio.run(run_class(url, lambda: rss_mb(server.pid), school, first))
            errors += report(school, run, [log])
            report_script_times(read_script_times(script_times, run["since"], run["until"]))
    finally:
        stop_server(server)
    print(f"server log: {log}")
    return 1 if errors else 0


def phases(args: argparse.Namespace, balanced: bool = False) -> list[tuple[str, Class, int]]:
    """The baseline (one session alone) and the class, as asked."""
    pause, lengths = (args.pause_min, args.pause_max), (args.min_tokens, args.max_tokens)
    alone = Class(args.baseline, 5, pause, 1, lengths, balanced=balanced)
    together = Class(
        args.interactions, args.minutes, pause, args.sessions, lengths, balanced=balanced
    )
    named = [("one session alone (baseline)", alone, 10_000), ("the class", together, 0)]
    return [phase for phase in named if phase[1].limit]


async def warm_up(urls: list[str]) -> None:
    """Open /heads once on each server directly, so no phase measures a model's first load
    (which can pass the 30 s timeout on a loaded machine)."""
    start = time.perf_counter()
    for number, url in enumerate(urls, start=20_000):
        pupil = Student(url, number, (8, 9))
        await asyncio.wait_for(pupil.open(), 300)
        await pupil.close()
    print(f"warmed {len(urls)} server(s) (model loaded) in {time.perf_counter() - start:.0f} s")


def main_balanced(args: argparse.Namespace) -> int:
    """The same phases through `attnviz serve --replicas N`, a replica killed if asked."""
    balanced = Balanced(args.replicas)
    print(f"balancer {balanced.url} with {args.replicas} replicas, {time.ctime()}")
    errors = 0
    try:
        asyncio.run(warm_up([f"http://{LOOPBACK}:{r['port']}" for r in balanced.replicas.values()]))
        for name, school, first in phases(args, balanced=True):
            print(f"\n## {name}")
            kill = args.kill_replica_at if school.sessions > 1 else 0.0
            killer = (lambda group, f=kill: kill_halfway(balanced, group, f)) if kill else None
            run = asyncio.run(run_class(balanced.url, balanced.rss_mb, school, first, killer))
            errors += report(school, run, balanced.logs())
    finally:
        balanced.stop()
    print(f"serve logs: {balanced.folder}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

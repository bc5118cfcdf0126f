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

Model runs (issue 20): before and after the class, `_bare_rate.py` measures the bare rate of
the cores (as many threads as the app's run workers calling `model.run` on texts of the same
lengths, nothing else in the process); the server logs its run scheduler's events, and the
report prints the class's runs per second beside that rate, the queue (queued, shared,
dropped, over the byte budget), the CPU per run, the server's CPU by thread, how many new
sentences showed a waiting notice and their place in line, the peak RSS (sampled every
0.2 s) and the load average. The server and the bare-rate process each run in a session of
their own, so that on a machine shared with other work Linux's autogroups give both the same
share. `--impatient F --patience S`: a fraction F of new sentences is replaced by another text
if not answered within S seconds, as a student typing on (the first run is then dropped if it
has not started). `--timeout S` (default 30): when an interaction counts as an error.

Through the balancer (`--replicas N`): the same class reaches N replicas of the app through
`python -m attnviz serve` (HAProxy, cookie affinity; see `_balancer.py`); the report adds which
replica served how many sessions. `--kill-replica-at 0.5` kills (SIGKILL) the replica holding
most sessions once half the interactions are done: the interactions it had in flight fail
(counted as errors), and every student whose socket broke reconnects as the browser does and
must get its view back from its URL on a live replica (sessions recovered).

Run: python bench/load_class.py [--sessions 30] [--interactions 1000] [--minutes 10]
     python bench/load_class.py --baseline 0 --interactions 400 --min-tokens 256 \
         --max-tokens 512 [--timeout 120] [--impatient 0.15 --patience 5]
     python bench/load_class.py --replicas 2 [--kill-replica-at 0.5]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import dataclasses
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _balancer import HEADER, Balanced, fetch_cookie, spread
from _common import (
    LOOPBACK,
    POST_SCRIPT_GC,
    RUN_EVENTS,
    WORKER_TIDS,
    add_post_script_gc_option,
    percentile,
    read_run_events,
    read_script_times,
    rss_mb,
    server_errors,
    start_logged_server,
    stop_server,
    text_of_tokens,
    tokens_of,
)

P95_TARGET_S = 2.0
TIMEOUT_S = [30.0]  # seconds an interaction may take before it counts as an error (--timeout)
LAYERS, HEADS = 6, 12  # minilm-l6, the default model of /heads
# Streamlit's answer to a rerun ends with one of these (ForwardMsg.ScriptFinishedStatus).
FINISHED, EARLY_FOR_RERUN = 0, 2
WAITING = "Waiting for the model"  # how the app's notice of a queued run starts
# The app's run workers (`attnviz.ui.cache.RUN_WORKERS`): one per core, at most 4.
RUN_WORKERS = max(1, min(4, len(os.sched_getaffinity(0))))


class WrongAnswer(Exception):
    """The server answered, but not with what the student asked for."""


@dataclasses.dataclass
class Interaction:
    session: int
    action: str  # "open", "sentence", "head" or "layer"
    seconds: float
    error: str | None = None
    waits: tuple[int, ...] = ()  # places in line the session was shown while it waited
    replaced: bool = False  # the student sent another text before the first one came


@dataclasses.dataclass
class Page:
    """What one rerun sent back: widget ids by key, the main figure, errors shown."""

    widget_ids: dict[str, str]
    title: str
    tokens: list[str]
    query_string: str
    page_script_hash: str
    errors: list[str]
    waits: list[int] = dataclasses.field(default_factory=list)  # places in line shown (0: running)


def read_answer(messages: list) -> Page:
    """The parts of a rerun's ForwardMsgs that the driver acts on and checks."""
    widget_ids: dict[str, str] = {}
    title, tokens, query, page_hash, errors, waits = "", [], "", "", [], []
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
            elif name == "alert" and body.body.startswith(WAITING):
                waits.append(place_in_line(body.body))
            widget_id = getattr(body, "id", "")
            if widget_id.startswith("$$ID-"):
                widget_ids[widget_id.split("-", 2)[2]] = widget_id
            if name == "plotly_chart" and widget_id.endswith("-heads.main"):
                spec = json.loads(body.spec)
                title = str(spec["layout"].get("title", {}).get("text", ""))
                tokens = [label.replace("\u200b", "") for label in spec["data"][0].get("x", [])]
    return Page(widget_ids, title, tokens, query, page_hash, errors, waits)


def place_in_line(notice: str) -> int:
    """The place in line a waiting notice shows: 1 for "next", 0 for "running now"."""
    if "next in line" in notice:
        return 1
    found = re.search(r"(\d+)(?:st|nd|rd|th) in line", notice)
    return int(found.group(1)) if found else 0


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
        self.partial: list = []  # messages of a rerun not finished yet
        self.waits_seen: list[int] = []  # places in line shown by reruns that were interrupted
        self.replaced = False  # the last sentence was replaced by another before it came

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

    async def rerun(
        self, query_string: str = "", page_name: str = "", patience: float | None = None
    ) -> Page | None:
        """Ask for a rerun with every widget value set so far; wait for the run to finish.

        patience: give up waiting after this many seconds and return None (the script still
        runs; `rerun` again to send what the student did next, and the answer to that).
        """
        from streamlit.proto.BackMsg_pb2 import BackMsg

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
        return await self.receive(patience)

    async def receive(self, patience: float | None = None) -> Page | None:
        """The messages of the rerun in flight until `script_finished`; None after `patience`."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        deadline = None if patience is None else time.monotonic() + patience
        messages = self.partial
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return None
            try:
                raw = await asyncio.wait_for(self.socket.recv(), left)
            except TimeoutError:
                return None
            message = ForwardMsg()
            message.ParseFromString(raw)
            if message.WhichOneof("type") != "script_finished":
                messages.append(message)
            elif message.script_finished == FINISHED:
                break
            elif message.script_finished == EARLY_FOR_RERUN:
                self.waits_seen += read_answer(messages).waits
                messages.clear()  # a rerun interrupted this one; its answer follows
            else:
                raise WrongAnswer(f"script finished with status {message.script_finished}")
        page = read_answer(messages)
        page.waits = self.waits_seen + page.waits
        self.partial, self.waits_seen = [], []
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

    async def act(
        self, action: str, serial: int, tokens: list[str], where: list[int], patience=None
    ):
        """One interaction; returns the tokens now shown. patience: for a sentence, the
        seconds after which the student, not yet answered, types another text instead."""
        self.replaced = False
        if action == "sentence":
            seed = 100_000 + self.number * 1000 + serial
            text = text_of_tokens(self.chooser.randint(*self.lengths), seed)
            self.widgets["heads.text"] = text
            tokens = tokens_of(text)
            if patience is not None:
                page = await self.rerun(patience=patience)
                if page is None:  # still waiting: the student moves on to another text
                    text = text_of_tokens(self.chooser.randint(*self.lengths), seed + 500)
                    self.widgets["heads.text"] = text
                    tokens = tokens_of(text)
                    self.replaced = True
                    page = await self.rerun()
                check(page, tokens, *where)
                return tokens
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
    impatient: float = 0.0  # fraction of new sentences replaced if not answered in `patience`
    patience: float = 2.0
    peak_rss: float = 0.0  # MB, sampled every 0.2 s
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
        result = await asyncio.wait_for(work, TIMEOUT_S[0])
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
        hurried = action == "sentence" and pupil.chooser.random() < school.impatient
        patience = school.patience if hurried else None
        work = pupil.act(action, serial, tokens, where, patience)
        interaction, shown = await timed(action, number, work)
        if pupil.page is not None and not interaction.error:
            interaction.waits = tuple(pupil.page.waits)
            interaction.replaced = pupil.replaced
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
    peak = asyncio.create_task(sample_peak(measure, school))
    load_before = os.getloadavg()
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
    peak.cancel()
    if stopper:
        stopper.cancel()
    school.memory.append((len(school.done), measure()))
    crashed = [f"{type(r).__name__}: {r}" for r in results if isinstance(r, Exception)]
    return {
        "since": since,
        "until": time.time(),
        "elapsed": elapsed,
        "crashed": crashed,
        "load": (load_before, os.getloadavg()),
    }


async def sample_peak(measure, school: Class) -> None:
    """The server's peak RSS, every 0.2 s from the first session opening to the last action."""
    while True:
        with contextlib.suppress(Exception):  # a replica killed on purpose
            school.peak_rss = max(school.peak_rss, measure())
        await asyncio.sleep(0.2)


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
    print(f"server RSS peak (every 0.2 s): {school.peak_rss:.0f} MB (target <= 2048 MB)")
    report_waits(school)
    before, after = run["load"]
    print(f"load average (1, 5, 15 min): {fmt_load(before)} at the start, {fmt_load(after)} at end")
    if school.balanced:
        report_replicas(school)
    return total


def fmt_load(load: tuple[float, float, float]) -> str:
    return " / ".join(f"{value:.1f}" for value in load)


def report_waits(school: Class) -> None:
    """What waiting students were shown, and the students who typed on before their text came."""
    done = [i for i in school.done if not i.error]
    sentences = [i for i in done if i.action == "sentence"]
    shown = [i for i in sentences if i.waits]
    places = [max(i.waits) for i in shown]
    heads = [i for i in done if i.action != "sentence" and i.waits]
    print(
        f"waiting notices: {len(shown)} of {len(sentences)} new sentences showed their place"
        f" in line (largest place {max(places, default=0)}); {len(heads)} head or layer"
        " changes waited"
    )
    replaced = [i for i in sentences if i.replaced]
    if school.impatient:
        print(f"impatient students: {len(replaced)} sentences replaced by another before they came")


def report_runs(events: list[tuple], elapsed: float, bare: list[dict], workers: int) -> None:
    """The server's model runs during the class beside the bare rate of the same cores."""
    if not events:
        print("server runs: no events (a checkout without the run scheduler)")
        return
    counts = collections.Counter(event for _, event, *_ in events)
    done = [event for event in events if event[1] == "done"]
    seconds = sum(event[3] for event in done)
    made = collections.Counter(event[2] for event in done)
    again = sum(n - 1 for n in made.values())
    rate = len(done) / elapsed if elapsed else 0.0
    print(
        f"server runs: {len(done)} done in {elapsed:.0f} s = {rate:.2f} runs/s; run p50"
        f" {percentile([e[3] for e in done] or [0], 0.5):.2f} s, busy"
        f" {seconds / max(elapsed * workers, 1e-9):.0%} of {workers} workers; made again after"
        f" eviction {again}"
    )
    cpu = [event[4] for event in done]
    print(f"  CPU per run: server workers {sum(cpu) / max(1, len(cpu)):.2f} s", end="")
    if bare:
        each = sum(b["cpu_per_run"] for b in bare) / len(bare)
        print(f", bare {each:.2f} s", end="")
    print()
    queue = [event[5] for event in events if event[1] == "queued" and event[5] is not None]
    print(
        f"queue: {counts['queued']} queued, {counts['shared']} shared with another session,"
        f" {counts['hit']} found in the cache, {counts['dropped']} dropped before they ran,"
        f" {counts['over_budget']} started over the byte budget; longest queue"
        f" {max(queue, default=0)}"
    )
    if not bare:
        return
    rates = [b["rate"] for b in bare]
    base = sum(rates) / len(rates)
    each = ", ".join(f"{b['rate']:.2f} ({b['runs']} runs)" for b in bare)
    ratio = rate / base if base else 0.0
    verdict = "ok" if ratio >= 0.8 else "MISS"
    print(
        f"bare rate of {workers} workers (before, after): {each} runs/s; class / bare ="
        f" {ratio:.2f}x (target >= 0.8x {verdict})"
    )


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
    parser.add_argument(
        "--bare-seconds",
        type=float,
        default=30.0,
        help="measure the bare run rate of the cores this long, before and after (0: skip)",
    )
    parser.add_argument(
        "--impatient",
        type=float,
        default=0.0,
        help="fraction of new sentences a student replaces if not answered within --patience",
    )
    parser.add_argument("--patience", type=float, default=2.0, help="seconds")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before an interaction is an error"
    )
    args = parser.parse_args()
    TIMEOUT_S[0] = args.timeout
    if args.replicas:
        return main_balanced(args)
    # The server and the bare-rate process each in a session of their own: with Linux's
    # autogroups each gets one share of a shared machine's CPU, the same share for both.
    server, url, log, script_times = start_logged_server(
        "attnviz-load-", args.post_script_gc, own_session=True
    )
    options = POST_SCRIPT_GC if args.post_script_gc else ""
    assert url.startswith(f"http://{LOOPBACK}:"), url
    print(f"server {url} (pid {server.pid}) {options}, {time.ctime()}")
    errors, measured, bare = 0, [], []
    try:
        asyncio.run(warm_up([url]))
        bare += measure_bare(args, "before")
        for name, school, first in phases(args):
            print(f"\n## {name}")
            run = asyncio.run(run_class(url, lambda: rss_mb(server.pid), school, first))
            errors += report(school, run, [log])
            report_script_times(read_script_times(script_times, run["since"], run["until"]))
            measured.append((name, run))
        bare += measure_bare(args, "after")
        report_server_cpu(server.pid, script_times.with_name(WORKER_TIDS))
    finally:
        stop_server(server)
    events_path = script_times.with_name(RUN_EVENTS)
    for name, run in measured:
        print(f"\n## model runs: {name}")
        events = read_run_events(events_path, run["since"], run["until"])
        report_runs(events, run["elapsed"], bare, RUN_WORKERS)
    print(f"server log: {log}")
    return 1 if errors else 0


def report_server_cpu(pid: int, tids_path: Path) -> None:
    """CPU seconds the server spent since it started: in its run workers, its main thread
    (Tornado: the WebSockets) and everything else (the sessions' scripts, mostly)."""
    tick = os.sysconf("SC_CLK_TCK")

    def cpu(stat: Path) -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime + stime

    total = cpu(Path(f"/proc/{pid}/stat"))
    main = cpu(Path(f"/proc/{pid}/task/{pid}/stat"))
    tids = tids_path.read_text().split() if tids_path.exists() else []
    workers = sum(cpu(Path(f"/proc/{pid}/task/{tid}/stat")) for tid in tids)
    print(
        f"server CPU since start: {total:.0f} s, of which run workers {workers:.0f} s, main"
        f" thread {main:.0f} s, other threads {total - workers - main:.0f} s"
    )


def measure_bare(args: argparse.Namespace, when: str) -> list[dict]:
    """The bare rate of `RUN_WORKERS` threads running MiniLM on texts of the class's lengths,
    in a process of its own while the server is idle (`_bare_rate.py`)."""
    if not args.bare_seconds:
        return []
    script = Path(__file__).resolve().parent / "_bare_rate.py"
    lengths = [str(args.min_tokens), str(args.max_tokens)]
    command = [sys.executable, str(script), str(RUN_WORKERS), str(args.bare_seconds), *lengths]
    finished = subprocess.run(
        command, capture_output=True, check=True, text=True, start_new_session=True
    )
    result = json.loads(finished.stdout)
    print(
        f"bare rate {when} the class: {result['rate']:.2f} runs/s ({result['runs']} runs of"
        f" {result['mean_tokens']:.0f} tokens on average in {result['seconds']:.0f} s,"
        f" {RUN_WORKERS} threads), load average {fmt_load(os.getloadavg())}"
    )
    return [result]


def phases(args: argparse.Namespace, balanced: bool = False) -> list[tuple[str, Class, int]]:
    """The baseline (one session alone) and the class, as asked."""
    pause, lengths = (args.pause_min, args.pause_max), (args.min_tokens, args.max_tokens)
    alone = Class(args.baseline, 5, pause, 1, lengths, balanced=balanced)
    together = Class(
        args.interactions,
        args.minutes,
        pause,
        args.sessions,
        lengths,
        balanced=balanced,
        impatient=args.impatient,
        patience=args.patience,
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

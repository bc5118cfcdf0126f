"""One queue of model runs for the whole process, shared by every session.

Two cores cannot run thirty long forward passes at once, so the runs of all sessions wait in
one first-come queue and a few worker threads (one per core, one torch thread each) take
them in turn:

- **Computed once.** A run is made once per key, whoever asks: a session asking for a run
  that is queued or running waits for that same job, and a finished run goes into the
  shared, byte-bounded cache (`SharedLRU`), where every later request finds it.
- **Fair.** A session waits for at most one run at a time; asking for another withdraws its
  older request, and a queued job that nobody waits for any more is dropped before it starts
  (the student typed on, or left). The queue is first come, first served, so every job's
  place only moves forward: no session starves.
- **Visible.** `Ticket.position()` says how many jobs are ahead (0: running or done), and
  `expected_seconds` how long that should take, for the waiting notice of `cache.get_run`.
- **Bounded in bytes.** Every value made is watched (`weakref.finalize` on its arrays) until
  it is freed, whether the cache still holds it or a session's script does. Before a job
  starts, the cache gives up its least recently used values until the live bytes plus the
  job's expected size fit `live_bytes`; if sessions still hold too much, the worker waits
  for them (at most `admit_seconds`, so a page holding one run while it asks for another
  cannot stall the queue).

Nothing here imports Streamlit; `attnviz.ui.cache` puts it in front of pages.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

V = TypeVar("V")
LOG = logging.getLogger(__name__)
MAX_SESSIONS = 4096  # sessions whose shown run is remembered


class Dropped(RuntimeError):
    """The job was dropped before it ran: its session asked for another run meanwhile."""


@dataclasses.dataclass(eq=False)
class Job:
    """One run to make, and who waits for it."""

    key: Hashable
    make: Callable[[], Any]
    tickets: set = dataclasses.field(default_factory=set)
    state: str = "queued"  # queued, running, done, failed or dropped
    value: Any = None
    error: BaseException | None = None
    finished: threading.Event = dataclasses.field(default_factory=threading.Event)


class Ticket:
    """One session's wait for one run."""

    def __init__(self, scheduler: RunScheduler, job: Job, session: Hashable) -> None:
        self._scheduler, self.job, self.session = scheduler, job, session

    @property
    def done(self) -> bool:
        return self.job.finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait up to `timeout` seconds for the run (None: until it is done); True once done."""
        return self.job.finished.wait(timeout)

    def position(self) -> int:
        """Jobs of the queue up to and including this one (1: next); 0 once running or done."""
        return self._scheduler.position(self.job)

    def result(self) -> Any:
        """The run; its failure re-raised; `Dropped` if it was dropped before it ran."""
        self.wait()
        self._scheduler.release(self)
        if self.job.state == "dropped":
            raise Dropped(f"the run of {self.job.key!r} was dropped before it started")
        if self.job.error is not None:
            raise self.job.error
        return self.job.value

    def cancel(self) -> None:
        """No longer wait; the job is dropped if it has not started and nobody else waits."""
        self._scheduler.release(self)


def done_ticket(value: Any, key: Hashable = None) -> Ticket:
    """A ticket already holding its value (a cache hit)."""
    job = Job(key, lambda: value, state="done", value=value)
    job.finished.set()
    return Ticket(_NO_SCHEDULER, job, None)


class RunScheduler(Generic[V]):
    """A fair queue of jobs, a pool of workers, a shared cache; see the module docstring.

    cache: a `SharedLRU` the finished values go into (and are looked up in);
    watch: the objects of a value whose lives make up its bytes, with their sizes;
    workers: threads started on the first submit (0: none; call `run_next` yourself);
    live_bytes: bytes of values alive at once (cached or held by sessions) that a job may
    start under; admit_seconds: how long a worker waits for sessions to free theirs;
    init: called once in each worker thread (e.g. one torch thread).
    """

    def __init__(
        self,
        cache,
        watch: Callable[[V], Iterable[tuple[object, int]]],
        workers: int,
        live_bytes: int,
        admit_seconds: float = 2.0,
        init: Callable[[], None] | None = None,
        name: str = "attnviz-run",
    ) -> None:
        self.cache, self._watch, self.workers = cache, watch, workers
        self.live_bytes, self.admit_seconds, self._init, self._name = (
            live_bytes,
            admit_seconds,
            init,
            name,
        )
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # the queue has a job
        # `_alive` has a lock of its own, taken by finalizers (see `_freed`); reentrant, since
        # a garbage collection inside it may run one.
        self._memory = threading.Condition(threading.RLock())
        self._queue: collections.deque[Job] = collections.deque()
        self._jobs: dict[Hashable, Job] = {}  # queued or running, by key
        self._waiting: dict[Hashable, Ticket] = {}  # session -> its pending ticket
        # session -> the key it shows (or waits for); the last MAX_SESSIONS sessions
        self._viewing: collections.OrderedDict[Hashable, Hashable] = collections.OrderedDict()
        self._running: dict[int, Job] = {}  # id(job) -> job
        self._alive = 0  # bytes of values made and not yet freed
        self._largest = 0  # bytes of the largest value made: what a new job may need
        self._durations: collections.deque[float] = collections.deque(maxlen=16)
        self._anonymous = itertools.count()
        self._started = False
        self.counts: collections.Counter[str] = collections.Counter()
        self.listeners: list[Callable[[str, dict], None]] = []

    # -- sessions -------------------------------------------------------------------------

    def cached(self, key: Hashable, session: Hashable = None) -> tuple[bool, V | None]:
        """(True, value) if `key` is cached, else (False, None); `session` now shows it."""
        found, value = self.cache.lookup(key)
        if found:
            with self._lock:
                self._view(session, key)
        return found, value

    def submit(self, key: Hashable, make: Callable[[], V], session: Hashable = None) -> Ticket:
        """Ask for the value of `key`, made by `make()` unless it is cached, queued or running.

        session: who asks (None: nobody that could ask again, e.g. a download being made); a
        session's newer request replaces its older pending one.
        """
        anonymous = session is None
        if anonymous:
            session = ("anonymous", next(self._anonymous))
        with self._lock:
            if not anonymous:
                self._view(session, key)
            previous = self._waiting.get(session)
            if previous is not None and previous.job.key != key:
                self._release(previous, "replaced")
            found, value = self.cache.lookup(key)
            if found:
                self._event("hit", key)
                return done_ticket(value, key)
            job = self._jobs.get(key)
            if job is None:
                job = Job(key, make)
                self._jobs[key] = job
                self._queue.append(job)
                self._event("queued", key, queue=len(self._queue))
                self._changed.notify_all()
            else:
                self._event("shared", key)
            ticket = Ticket(self, job, session)
            job.tickets.add(ticket)
            self._waiting[session] = ticket
        self._start_workers()
        return ticket

    def _view(self, session: Hashable, key: Hashable) -> None:
        """With the lock held: `session` now shows `key`. The run it showed before, if no
        other session shows it, goes to the front of the cache's eviction order: a layer or
        head change of a student still reading a run never waits for one nobody reads."""
        if session is None:
            return
        before = self._viewing.pop(session, None)
        self._viewing[session] = key
        if len(self._viewing) > MAX_SESSIONS:
            self._viewing.popitem(last=False)
        if before is not None and before != key and before not in self._viewing.values():
            self.cache.demote(before)

    def release(self, ticket: Ticket) -> None:
        with self._lock:
            self._release(ticket, "left")

    def _release(self, ticket: Ticket, why: str) -> None:
        if self._waiting.get(ticket.session) is ticket:
            del self._waiting[ticket.session]
        job = ticket.job
        job.tickets.discard(ticket)
        if job.state == "queued" and not job.tickets:
            self._queue.remove(job)
            del self._jobs[job.key]
            job.state = "dropped"
            job.finished.set()
            self._event("dropped", job.key, why=why)

    def position(self, job: Job) -> int:
        with self._lock:
            if job.state != "queued":
                return 0
            return self._queue.index(job) + 1

    def expected_seconds(self, position: int) -> float:
        """Roughly how long a job at `position` waits until it is done (recent durations)."""
        with self._lock:
            durations = list(self._durations)
        if not durations:
            return 0.0
        mean = sum(durations) / len(durations)
        return mean * (1 + (max(position, 1) - 1) / max(self.workers, 1))

    def snapshot(self) -> dict:
        """Queue length, jobs running, bytes alive and cached, and the counts so far."""
        with self._lock:
            return {
                "in_queue": len(self._queue),
                "running_now": len(self._running),
                "alive_bytes": self._alive,  # an int read: no lock needed
                "cached_bytes": self.cache.nbytes,
                **self.counts,
            }

    # -- workers --------------------------------------------------------------------------

    def run_next(self, block: bool = True) -> bool:
        """Take the first job of the queue, make it, store and hand out the value.

        Returns False if the queue is empty and `block` is False. Workers call this in a loop;
        tests call it to run exactly one job.
        """
        with self._lock:
            while not self._queue:
                if not block:
                    return False
                self._changed.wait()
            job = self._queue.popleft()
            job.state = "running"
            self._running[id(job)] = job
            self._event("started", job.key, queue=len(self._queue))
        self._admit(job)
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            value, error = job.make(), None
        except BaseException as failure:  # handed to every waiter; never kills the worker
            value, error = None, failure
        spent = (time.perf_counter() - started, time.thread_time() - cpu)
        self._finish(job, value, error, *spent)
        return True

    def _admit(self, job: Job) -> None:
        """Make room for the job in `live_bytes`, or wait a little for sessions to free theirs."""
        deadline = time.monotonic() + self.admit_seconds
        while True:
            with self._lock:
                others = sum(1 for running in self._running.values() if running is not job)
            need = self._largest * (1 + others)  # this job and those still running
            with self._memory:
                if self._alive + need <= self.live_bytes:
                    return
                held = self._alive - self.cache.nbytes  # bytes that sessions keep
            # outside every lock: an eviction may collect garbage, which runs finalizers
            self.cache.shrink(max(0, self.live_bytes - need - held))
            with self._memory:
                if self._alive + need <= self.live_bytes:
                    return
                left = deadline - time.monotonic()
                if left <= 0 or self._alive <= self.cache.nbytes:  # nothing held to wait for
                    alive = self._alive
                    break
                self._memory.wait(left)
        with self._lock:
            self._event("over_budget", job.key, alive=alive)

    def _finish(self, job: Job, value, error: BaseException | None, seconds: float, cpu: float):
        """Store the value (before the job leaves: never made twice), wake every waiter.

        seconds, cpu: the run's wall time and the worker thread's CPU time."""
        if error is None:
            self._track(value)
            self.cache.put(job.key, value)
        with self._lock:
            del self._running[id(job)]
            self._jobs.pop(job.key, None)
            job.value, job.error = value, error
            job.state = "done" if error is None else "failed"
            job.make = None  # the closure may hold a model's inputs; keep nothing
            for ticket in job.tickets:  # no longer pending, whether or not they are read
                if self._waiting.get(ticket.session) is ticket:
                    del self._waiting[ticket.session]
            if error is None:
                self._durations.append(seconds)
            self._event(job.state, job.key, seconds=seconds, cpu=cpu)
            job.finished.set()

    def _track(self, value) -> None:
        total = 0
        for part, size in self._watch(value):
            weakref.finalize(part, self._freed, size)
            total += size
        with self._memory:
            self._alive += total
            self._largest = max(self._largest, total)

    def _freed(self, size: int) -> None:
        """A watched array is gone. Runs in whatever thread dropped it, perhaps inside a lock
        of the cache or this scheduler, or inside a garbage collection: it takes only the
        memory lock, which nothing holds while taking another."""
        with self._memory:
            self._alive -= size
            self._memory.notify_all()

    def _start_workers(self) -> None:
        with self._lock:
            if self._started or self.workers <= 0:
                return
            self._started = True
        for number in range(self.workers):
            thread = threading.Thread(target=self._work, name=f"{self._name}-{number}", daemon=True)
            thread.start()

    def _work(self) -> None:
        if self._init is not None:
            self._init()
        while True:
            try:
                self.run_next()
            except Exception:  # a worker must never end; log and go on
                LOG.exception("a model run worker failed")

    def _event(self, name: str, key: Hashable, **details) -> None:
        self.counts[name] += 1
        for listener in self.listeners:
            listener(name, {"key": key, **details})


class _NoScheduler:
    """The scheduler of tickets that were done when made: nothing to release."""

    def release(self, ticket: Ticket) -> None:
        pass

    def position(self, job: Job) -> int:
        return 0


_NO_SCHEDULER: Any = _NoScheduler()


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1

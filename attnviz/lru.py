"""A least-recently-used cache shared by threads, bounded by entries and by bytes.

The library keeps its loaded models in one (`attnviz.models.registry.LOADED`); the app keeps
its runs and display maps in others (`attnviz.ui.cache`, `attnviz.ui.display`). No Streamlit
here: Streamlit's own caches bound entries only, and a browser's `clear_cache` message empties
them.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class SharedLRU(Generic[V]):
    """Least-recently-used values shared by all threads, bounded by entries and by bytes.

    A value is computed once even when several sessions ask for it at the same moment; a
    failure is not stored; a value larger than the whole budget is returned but not kept.
    """

    def __init__(
        self,
        max_entries: int,
        max_bytes: int,
        size: Callable[[V], int],
        on_evicted: Callable[[int], None] | None = None,
    ) -> None:
        """on_evicted: called with the bytes of the values just dropped (outside the lock)."""
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._on_evicted = on_evicted
        self._values: collections.OrderedDict[Hashable, tuple[V, int]] = collections.OrderedDict()
        self._bytes = 0
        self._used: dict[Hashable, float] = {}  # key -> time.monotonic() of its last use
        self._lock = threading.Lock()
        self._making: dict[Hashable, threading.Lock] = {}

    def __len__(self) -> int:
        return len(self._values)

    @property
    def nbytes(self) -> int:
        return self._bytes

    def lookup(self, key: Hashable) -> tuple[bool, V | None]:
        """(True, value) if `key` is cached (now the most recently used), else (False, None)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                self._used[key] = time.monotonic()
                return True, self._values[key][0]
        return False, None

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        found, value = self.lookup(key)
        if found:
            return value  # type: ignore[return-value]
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:  # one thread makes the value; the others wait and then find it
            found, value = self.lookup(key)
            if found:
                return value  # type: ignore[return-value]
            try:
                value = make()
                self.put(key, value)  # stored before the key is released: made only once
            finally:
                with self._lock:
                    self._making.pop(key, None)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep `value` (unless it alone is larger than the budget), evicting the oldest."""
        size = self._size(value)
        if size > self.max_bytes:
            return
        with self._lock:
            if key in self._values:
                self._bytes -= self._values.pop(key)[1]
            self._values[key] = (value, size)
            self._used[key] = time.monotonic()
            self._bytes += size
            dropped = self._evict(self.max_entries, self.max_bytes)
        self._evicted(sum(size for _, size in dropped))
        del dropped  # the last references to the evicted values go here, outside the lock

    def demote(self, key: Hashable) -> None:
        """Put `key` first in line for eviction (nobody shows it any more)."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key, last=False)

    def shrink(self, max_bytes: int) -> int:
        """Evict the least recently used values until at most `max_bytes` stay; their bytes."""
        with self._lock:
            dropped = self._evict(self.max_entries, max_bytes)
        evicted = sum(size for _, size in dropped)
        self._evicted(evicted)
        del dropped
        return evicted

    def _evict(self, max_entries: int, max_bytes: int) -> list[tuple[V, int]]:
        """With the lock held: pop the oldest values past the bounds; returned, not freed.

        Past the byte bound only values that have bytes go: dropping one of 0 bytes would free
        nothing that is counted (the model cache counts shipped models as 0, to keep them).
        """
        dropped = []
        while len(self._values) > max_entries:
            dropped.append(self._pop(next(iter(self._values))))
        for key in list(self._values):  # oldest first
            if self._bytes <= max_bytes:
                break
            if self._values[key][1]:
                dropped.append(self._pop(key))
        return dropped

    def _pop(self, key: Hashable) -> tuple[V, int]:
        value, size = self._values.pop(key)
        self._used.pop(key, None)
        self._bytes -= size
        return value, size

    def drop_idle(self, idle_seconds: float, min_bytes: int, now: float | None = None) -> int:
        """Drop values of at least `min_bytes` unused for `idle_seconds`; returns their bytes."""
        now = time.monotonic() if now is None else now
        dropped = []
        with self._lock:
            for key, (value, size) in list(self._values.items()):
                if size >= min_bytes and now - self._used.get(key, now) > idle_seconds:
                    del self._values[key]
                    self._used.pop(key, None)
                    self._bytes -= size
                    dropped.append((value, size))
        evicted = sum(size for _, size in dropped)
        self._evicted(evicted)
        del dropped
        return evicted

    def _evicted(self, evicted: int) -> None:
        if evicted and self._on_evicted is not None:
            self._on_evicted(evicted)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._used.clear()
            self._bytes = 0

"""SharedLRU, the library's cache (attnviz/lru.py): values of no bytes, and many threads."""

from __future__ import annotations

import threading

from attnviz.lru import SharedLRU


def counted(max_entries: int, max_bytes: int) -> SharedLRU[tuple[str, int]]:
    """Values are (label, bytes), as the model cache stores (model, 0 or 1)."""
    return SharedLRU(max_entries, max_bytes, lambda value: value[1])


def test_the_byte_bound_passes_over_values_of_no_bytes():
    """Dropping a value of 0 bytes frees nothing counted: the model cache keeps its shipped
    models this way while the least recently used folder model goes."""
    cache = counted(max_entries=10, max_bytes=2)
    cache.get("shipped", lambda: ("shipped", 0))
    cache.get("folder-1", lambda: ("folder-1", 1))
    cache.get("folder-2", lambda: ("folder-2", 1))
    cache.get("folder-3", lambda: ("folder-3", 1))  # a third folder: the oldest one goes
    assert cache.lookup("shipped") == (True, ("shipped", 0))
    assert not cache.lookup("folder-1")[0]
    assert cache.lookup("folder-2")[0] and cache.lookup("folder-3")[0]
    assert (len(cache), cache.nbytes) == (3, 2)


def test_the_entry_bound_still_takes_the_oldest_of_any_size():
    cache = counted(max_entries=2, max_bytes=10)
    for key in ("a", "b", "c"):
        cache.get(key, lambda key=key: (key, 0))
    assert not cache.lookup("a")[0] and len(cache) == 2


def test_a_value_asked_for_by_many_threads_at_once_is_made_once():
    cache = counted(max_entries=10, max_bytes=10)
    start = threading.Barrier(8)
    made: list[int] = []
    results: list[tuple[str, int]] = []

    def make() -> tuple[str, int]:
        made.append(1)
        threading.Event().wait(0.05)  # long enough for the others to arrive and wait
        return ("value", 1)

    def ask() -> None:
        start.wait()
        results.append(cache.get("key", make))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert made == [1]
    assert len(results) == 8 and all(result is results[0] for result in results)

"""Downloads of a long run: how long each takes, its size, and how long it stalls others.

A 512-token MiniLM run (19 million weights) is exported the ways the Download menu offers:
NPZ of the whole run, CSV of one head, and JSON of a 128-token run (under the menu's limit).
Meanwhile another thread wakes every millisecond, as a session's script would want to run;
its longest wait is the stall an export inflicts on everyone else. The baseline, measured in
the same run, is the JSON made as before, in one `json.dumps`: of the 128-token run, and of the
512-token run, which the menu no longer offers (issue 13: 32-38 s and 434 MB on a server,
another session's head change took 11-12 s meanwhile). The app's JSON is written a row at a
time, so other threads run in between.

Run: python bench/bench_download_stalls.py [--skip-refused-json]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import text_of_tokens

STALL_TARGET_MS = 500  # a quarter of the 2 s p95 target of an interaction (load_class.py)


def stall_while(make: Callable[[], object]) -> tuple[float, int, float]:
    """(seconds, bytes, longest stall of another thread in ms) of `make()`."""
    stop, gaps = threading.Event(), []

    def probe() -> None:
        last = time.perf_counter()
        while not stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    thread = threading.Thread(target=probe)
    thread.start()
    start = time.perf_counter()
    data = make()
    seconds = time.perf_counter() - start
    stop.set()
    thread.join()
    return seconds, len(data), 1000 * max(gaps, default=0.0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-refused-json", action="store_true", help="skip the baseline")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(1)
    import attnviz
    from attnviz import export

    model = attnviz.load("minilm-l6")
    long, medium = attnviz.run(model, text_of_tokens(512)), attnviz.run(model, text_of_tokens(128))
    head = long.maps["encoder_self"]
    exports = {
        "nothing, 5 s (the machine's own scheduling noise)": lambda: time.sleep(5) or b"",
        "NPZ, 512 tokens": lambda: export.run_npz(long),
        "CSV of one head, 512 tokens": lambda: export.matrix_csv(
            head.head(0, 0), head.query_tokens, head.key_tokens
        ),
        "JSON, 128 tokens": lambda: export.run_json(medium, export.MAX_JSON_NUMBERS),
    }
    # Baselines: the JSON as it was made before, in one json.dumps.
    exports["JSON, 128 tokens, one json.dumps (baseline)"] = lambda: json.dumps(
        medium.to_json(), ensure_ascii=False
    )
    if not args.skip_refused_json:
        exports["JSON, 512 tokens, one json.dumps (baseline)"] = lambda: json.dumps(
            long.to_json(), ensure_ascii=False
        )
    worst = 0.0
    for name, make in exports.items():
        seconds, size, stall = stall_while(make)
        if "baseline" not in name and not name.startswith("nothing"):
            worst = max(worst, stall)
        print(f"{name:<50} {seconds:6.2f} s  {size / 1e6:7.1f} MB  longest stall {stall:5.0f} ms")
    verdict = "ok" if worst <= STALL_TARGET_MS else "MISS"
    print(
        f"offered downloads: longest stall {worst:.0f} ms, target <= {STALL_TARGET_MS}: {verdict}"
    )
    return 0 if worst <= STALL_TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

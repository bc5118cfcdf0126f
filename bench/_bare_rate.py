"""The bare rate of model runs on this machine's cores: what a server could do at best.

`python bench/_bare_rate.py WORKERS SECONDS MIN_TOKENS MAX_TOKENS`: loads MiniLM, then WORKERS
threads (one torch thread each, as the app's run workers) call `model.run` on texts of
uniformly drawn lengths, each text new, for SECONDS after one warm-up run each; prints one JSON
line: runs, seconds, runs per second, mean tokens, CPU seconds per run. No Streamlit, no
sessions, no figures: the same forward passes the app's workers make, and nothing else.
`load_class.py` starts it before and after the class, so both rates come from one run.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # attnviz from this checkout

from _common import text_of_tokens


def bare_rate(workers: int, seconds: float, lengths: tuple[int, int]) -> dict:
    import torch

    import attnviz

    torch.set_num_threads(1)
    model = attnviz.load("minilm-l6")
    done: list[int] = []
    cpu: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(workers + 1)
    deadline = [0.0]

    def work(number: int) -> None:
        torch.set_num_threads(1)
        chooser = random.Random(number)
        model.run(text_of_tokens(chooser.randint(*lengths), seed=-1 - number))  # warm-up
        start.wait()
        serial = 0
        while time.monotonic() < deadline[0]:
            serial += 1
            tokens = chooser.randint(*lengths)
            started = time.thread_time()
            model.run(text_of_tokens(tokens, seed=number * 1_000_000 + serial))
            with lock:
                done.append(tokens)
                cpu.append(time.thread_time() - started)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + 3600
    start.wait()
    began = time.monotonic()
    deadline[0] = began + seconds
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began  # the last run finishes after the deadline
    return {
        "runs": len(done),
        "seconds": elapsed,
        "rate": len(done) / elapsed,
        "mean_tokens": sum(done) / max(1, len(done)),
        "cpu_per_run": sum(cpu) / max(1, len(cpu)),
    }


if __name__ == "__main__":
    workers, seconds, low, high = sys.argv[1:5]
    result = bare_rate(int(workers), float(seconds), (int(low), int(high)))
    print(json.dumps(result))

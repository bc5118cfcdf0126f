"""Budgets of /translate (issue 4), server side through AppTest, medians:

- a new 15-word sentence to a fully rendered page (budget <= 300 ms of server time);
- changing the decoder step (budget <= 100 ms);
- the page's total figure payload for a 15-word sentence (budget <= 300 KB).

Run: python bench/bench_translate_page.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

SENTENCES = [
    f"The {adjective} teacher will give my brother a new book about old cities next {when}."
    for adjective in ("young", "old", "tall", "kind", "busy", "quiet", "happy", "strict")
    for when in ("week", "year")
]


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    torch.set_num_threads(1)
    app = AppTest.from_file(str(ROOT / "pages" / "translate.py"), default_timeout=300)
    app.query_params["text"] = SENTENCES[-1]
    app.run()  # loads the models once
    new_sentence = [
        timed(lambda text=text: app.text_input(key="translate.text").input(text).run())
        for text in SENTENCES[:10]
    ]
    n_steps = len(app.select_slider(key="translate.step").options)
    step_changes = []
    for index in range(10):
        step = (index + 1) % n_steps
        step_changes.append(
            timed(lambda s=step: app.select_slider(key="translate.step").set_value(s).run())
        )
    assert not app.exception
    payload = sum(len(chart.proto.spec) for chart in app.get("plotly_chart"))
    words = len(SENTENCES[0].split())
    print(f"/translate, {words}-word sentences, bahdanau-en-es, torch threads 1")
    print(f"new sentence, whole page:   {statistics.median(new_sentence):7.1f} ms  budget 300 ms")
    print(f"change the decoder step:    {statistics.median(step_changes):7.1f} ms  budget 100 ms")
    print(f"figure payload of the page: {payload / 1000:7.1f} KB  budget 300 KB")


if __name__ == "__main__":
    main()

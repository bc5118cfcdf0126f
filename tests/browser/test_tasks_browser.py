"""In Chromium: /tasks draws the sentiment model's own pooling weights, word by word, and the
memory network's hops; hovering a word shows its exact weight."""

from __future__ import annotations

import numpy as np

from tests.browser.helpers import IDLE, cli_maps

REVIEW = "The food was cold and the service was slow."
STORY = "Mary went to the kitchen. John moved to the garden. Where is Mary?"

READ_WORDS = """() => {
  const plot = attnvizPlots()[0];
  const trace = plot._fullData[0];
  return {text: Array.from(trace.text, row => Array.from(row)).flat(),
          weights: Array.from(trace.customdata, row => Array.from(row)).flat(),
          title: plot.layout.title.text};
}"""
CELL_CENTRE = """(index) => {
  const plot = attnvizPlots()[0];
  const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
  const box = attnvizBox(plot);
  const columns = plot._fullData[0].z[0].length;
  return {x: box.left + xa._offset + xa.l2p(index % columns),
          y: box.top + ya._offset + ya.l2p(Math.floor(index / columns))};
}"""


def open_tasks(page, server_url, query: str) -> None:
    page.goto(f"{server_url}/tasks?{query}")
    page.wait_for_selector(".js-plotly-plot", timeout=120_000)
    page.wait_for_selector(IDLE, timeout=120_000)


def test_the_shaded_words_are_the_models_pooling_weights(server_url, page, tmp_path):
    from urllib.parse import urlencode

    open_tasks(page, server_url, urlencode({"model": "sentiment-bigru", "text": REVIEW}))
    drawn = page.evaluate(READ_WORDS)
    tokens, weights = cli_maps("sentiment-bigru", REVIEW, kind="pooling")
    expected = weights[0, 0, 0]
    assert drawn["text"][: len(tokens)] == tokens
    np.testing.assert_array_equal(np.array(drawn["weights"][: len(tokens)], np.float32), expected)
    heaviest = int(expected.argmax())
    centre = page.evaluate(CELL_CENTRE, heaviest)
    page.mouse.move(centre["x"], centre["y"])
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(timeout=30_000)
    assert tokens[heaviest] in hover.text_content()
    assert f"{expected[heaviest]:.4f}" in hover.text_content()
    page.get_by_text("Sentiment: negative").wait_for(timeout=30_000)
    page.screenshot(path=str(tmp_path / "tasks-sentiment.png"), full_page=True)


def test_the_memory_heatmap_is_the_networks_hops(server_url, page):
    from urllib.parse import urlencode

    open_tasks(page, server_url, urlencode({"model": "qa-memnet", "text": STORY}))
    drawn = page.evaluate(
        "() => { const p = attnvizPlots()[0]; const t = p._fullData[0];"
        " return {y: Array.from(t.y), w: Array.from(t.customdata, r => Array.from(r))}; }"
    )
    sentences, weights = cli_maps("qa-memnet", STORY, kind="memory")
    assert [label.rstrip("\u200b") for label in drawn["y"]] == sentences
    np.testing.assert_array_equal(np.array(drawn["w"], np.float32), weights[:, 0, 0].T)
    page.get_by_text("Answer: kitchen").wait_for(timeout=30_000)

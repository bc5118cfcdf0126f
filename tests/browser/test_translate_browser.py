"""In Chromium: type a sentence on /translate, click a row of the alignment, the step follows."""

from __future__ import annotations

import numpy as np

import attnviz
from tests.browser.helpers import (
    IDLE,
    read_figure,
    screenshot_path,
    scroll_to_figure,
    wait_until_drawn,
)

TEXT = "The black dog sleeps on the old sofa."

ROW_CENTRE = """(row) => {
  const plot = attnvizPlots()[0];
  const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
  const box = attnvizBox(plot);
  return {x: box.left + xa._offset + xa._length / 2, y: box.top + ya._offset + ya.l2p(row)};
}"""
WEIGHT_BARS = """() => {
  const plots = attnvizPlots();
  const bars = plots.find(p => ((p.layout.title || {}).text || '').includes('2 · softmax'));
  return bars && bars._fullData ? Array.from(bars._fullData[0].y) : [];
}"""


def test_typing_a_sentence_and_clicking_a_row_opens_that_step(server_url, page):
    page.goto(f"{server_url}/translate?words=0")  # one column per piece, as the step panel
    wait_until_drawn(page, figures=3)
    box = page.get_by_label("English sentence")
    box.fill(TEXT)
    box.press("Enter")
    page.wait_for_function(
        "() => { const p = attnvizPlots()[0];"
        " return p && p._fullData && Array.from(p._fullData[0].x).includes('black'); }",
        timeout=60_000,
    )
    wait_until_drawn(page, figures=3)
    run = attnviz.run("bahdanau-en-es", TEXT)
    row = 3
    scroll_to_figure(page, 0)  # a click must be on screen
    centre = page.evaluate(ROW_CENTRE, row)
    page.mouse.click(centre["x"], centre["y"])
    page.wait_for_function("() => window.location.search.includes('step=3')", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_text(f"Step {row}:").wait_for(timeout=60_000)
    page.wait_for_function(f"() => ({WEIGHT_BARS})().length > 0", timeout=60_000)
    weights = np.array(page.evaluate(WEIGHT_BARS), dtype=np.float32)
    np.testing.assert_array_equal(weights, run.maps["cross"].weights[0, 0, row])
    alignment = read_figure(page, 0)
    np.testing.assert_array_equal(np.array(alignment["z"], dtype=np.float32)[row], weights)
    page.screenshot(path=str(screenshot_path("translate.png")), full_page=True)

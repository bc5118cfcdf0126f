"""In Chromium at projector sizes: /translate's scoring comparison in presentation mode has
every token label readable, apart from its neighbours and inside its figure, titles whole."""

from __future__ import annotations

import itertools
import math
from urllib.parse import urlencode

import pytest

from tests.browser.helpers import IDLE, new_context, screenshot_path, wait_until_drawn

# 17 source tokens: two maps to a row at 1280 x 720 print these labels over each other.
TEXT = "The old man gave the young girl a small red book in the green park."
# For each figure in the comparison: its labels, how far apart neighbours are drawn, and whether
# labels and title stay inside the figure and off each other.
READ_LABELS = """() => {
  const expander = [...document.querySelectorAll("[data-testid='stExpander']")]
    .find(e => e.textContent.includes('Compare scoring functions'));
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1
    && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  return [...expander.querySelectorAll('.js-plotly-plot')].map(plot => {
    const box = plot.getBoundingClientRect();  // the figure's own frame's coordinates
    const layout = plot._fullLayout;
    const centre = r => ({x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2});
    const x = [...plot.querySelectorAll('.xtick text')].map(t => t.getBoundingClientRect());
    const y = [...plot.querySelectorAll('.ytick text')].map(t => t.getBoundingClientRect());
    const title = plot.querySelector('.gtitle');
    const titleBox = title ? title.getBoundingClientRect() : null;
    return {
      title: title ? title.textContent : '',
      tokens: plot._fullData[0].x.length,
      xLabels: x.length,
      xCentres: x.map(r => centre(r).x).sort((a, b) => a - b),
      yCentres: y.map(r => centre(r).y).sort((a, b) => a - b),
      xSize: layout.xaxis.tickfont.size, ySize: layout.yaxis.tickfont.size,
      angle: layout.xaxis.tickangle,
      labelsInside: [...x, ...y].every(r => inside(r, box)),
      titleInside: !titleBox || inside(titleBox, box),
      titleClear: !titleBox || !x.some(r => overlap(titleBox, r)),
      width: box.width, expanderWidth: expander.getBoundingClientRect().width,
    };
  });
}"""


def gaps(centres: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(centres)]


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_the_scoring_comparison_is_readable_on_a_projector(server_url, browser, width, height):
    context = new_context(browser, width, height)
    page = context.new_page()
    page.goto(f"{server_url}/translate?{urlencode({'text': TEXT, 'present': 1})}")
    wait_until_drawn(page, figures=3)
    expander = page.locator("[data-testid='stExpander']", has_text="Compare scoring functions")
    expander.locator("summary").click()
    page.wait_for_timeout(1000)
    page.wait_for_selector(IDLE, timeout=90_000)
    for translator in ("bahdanau-en-es", "transformer-en-es"):  # one map at a time
        expander.get_by_role("radiogroup", name="Translator").get_by_text(translator).click()
        page.wait_for_timeout(800)
        page.wait_for_selector(IDLE, timeout=90_000)
        page.wait_for_timeout(800)
        [figure] = page.evaluate(READ_LABELS)
        assert translator in figure["title"]
        assert figure["xLabels"] == figure["tokens"] == 17  # no label hidden
        # Rotated labels are parallel lines: their distance apart is the gap times sin(angle).
        sine = abs(math.sin(math.radians(figure["angle"])))
        assert min(gaps(figure["xCentres"])) * sine >= figure["xSize"]
        assert min(gaps(figure["yCentres"])) >= figure["ySize"]
        assert figure["labelsInside"] and figure["titleInside"] and figure["titleClear"]
        assert figure["width"] > 0.8 * figure["expanderWidth"]
    expander.locator(".js-plotly-plot").scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_path(f"translate-compare-{width}x{height}.png")))
    context.close()

"""What the browser tests share: reading Plotly figures in the page, the CLI's maps."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"

# Given to every page (`page` fixture): `attnvizPlots(root)`, the Plotly figures under `root`
# in page order, those drawn by `st.plotly_chart` and those inside the clickable charts'
# component frames (same origin); `attnvizBox(plot)`, a figure's rectangle in page coordinates.
PLOTS_SCRIPT = """
window.attnvizPlots = (root) => {
  const found = [];
  for (const element of (root || document).querySelectorAll('.js-plotly-plot, iframe')) {
    if (element.tagName !== 'IFRAME') { found.push(element); continue; }
    let inner = null;
    try { inner = element.contentDocument.querySelector('.js-plotly-plot'); } catch (e) {}
    if (inner) found.push(inner);
  }
  return found;
};
window.attnvizBox = (plot) => {
  const box = plot.getBoundingClientRect();
  const frame = plot.ownerDocument.defaultView.frameElement;
  const offset = frame ? frame.getBoundingClientRect() : {left: 0, top: 0};
  return {left: box.left + offset.left, top: box.top + offset.top,
          width: box.width, height: box.height};
};
"""


def new_context(browser, width: int, height: int, **options):
    """A browser context with a `width` x `height` window whose pages know `PLOTS_SCRIPT`."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.add_init_script(PLOTS_SCRIPT)
    return context


# The n-th Plotly figure's first trace as drawn: tokens, decoded weights and title.
READ_FIGURE = """(index) => {
  const plot = attnvizPlots()[index];
  const trace = plot._fullData[0];  // typed arrays decoded by Plotly
  return {x: Array.from(trace.x), y: Array.from(trace.y),
          z: Array.from(trace.z, row => Array.from(row)), title: plot.layout.title.text};
}"""


def read_figure(page, index: int = 0) -> dict:
    return page.evaluate(READ_FIGURE, index)


def scroll_to_figure(page, index: int = 0) -> None:
    """Bring the `index`-th figure (its component frame, for a clickable one) into view."""
    page.evaluate(
        "(i) => { const p = attnvizPlots()[i];"
        " (p.ownerDocument.defaultView.frameElement || p).scrollIntoView({block: 'center'}); }",
        index,
    )


def wait_until_drawn(page, figures: int = 2) -> None:
    """Until at least `figures` Plotly figures are drawn and the script is idle."""
    page.wait_for_function(
        "(n) => attnvizPlots().filter(plot => plot._fullData).length >= n",
        arg=figures,
        timeout=90_000,
    )
    page.wait_for_selector(IDLE, timeout=90_000)


def cli_maps(model: str, text: str, kind: str = "encoder_self") -> tuple[list[str], np.ndarray]:
    """Key tokens and weights `[layer, head, query, key]` from `python -m attnviz run --json`."""
    result = subprocess.run(
        [sys.executable, "-m", "attnviz", "run", model, text, "--json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    maps = json.loads(result.stdout)["maps"][kind]
    return maps["key_tokens"], np.array(maps["weights"], dtype=np.float32)


def tokens_of(labels: list[str]) -> list[str]:
    """Axis labels back to tokens (labels are escaped and made unique with zero-width spaces)."""
    return [html.unescape(label.rstrip("\u200b")) for label in labels]


def screenshot_path(name: str) -> Path:
    """Where a test saves its screenshot: `docs/NAME` for `make docs` (ATTNVIZ_DOCS=1), else a
    temporary folder, so the test suite writes nothing into the checkout."""
    import os
    import tempfile

    if os.environ.get("ATTNVIZ_DOCS") == "1":
        return ROOT / "docs" / name
    return Path(tempfile.mkdtemp(prefix="attnviz-screens-")) / name

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

# The n-th Plotly figure's first trace as drawn: tokens, decoded weights and title.
READ_FIGURE = """(index) => {
  const plot = document.querySelectorAll('.js-plotly-plot')[index];
  const trace = plot._fullData[0];  // typed arrays decoded by Plotly
  return {x: Array.from(trace.x), y: Array.from(trace.y),
          z: Array.from(trace.z, row => Array.from(row)), title: plot.layout.title.text};
}"""


def read_figure(page, index: int = 0) -> dict:
    return page.evaluate(READ_FIGURE, index)


def wait_until_drawn(page, figures: int = 2) -> None:
    page.wait_for_selector(f".js-plotly-plot >> nth={figures - 1}", timeout=90_000)
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

"""In Chromium at the reference window (1280 x 720, sidebar open): figures are drawn as wide
as the width their PNG and SVG are exported at (`attnviz.ui.widgets.column_width`), so the
constants there still describe the page."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from attnviz.ui.widgets import CONTENT_WIDTH, column_width
from tests.browser.helpers import new_context, wait_until_drawn

TEXT = "Cats chase mice."
WIDTHS = """() => Array.from(attnvizPlots(),
  plot => attnvizBox(plot).width)"""


@pytest.mark.parametrize(
    ("page_path", "figures", "exported"),
    [
        ("heads", 2, column_width([3, 2])),  # the head beside the layer's small multiples
        ("compare", 2, column_width(2)),  # side A and side B
        ("translate", 1, CONTENT_WIDTH),  # the alignment, the whole column
    ],
)
def test_figures_are_drawn_as_wide_as_they_are_exported(
    browser, server_url, page_path, figures, exported
):
    context = new_context(browser, 1280, 720)
    page = context.new_page()
    try:
        page.goto(f"{server_url}/{page_path}?" + urlencode({"text": TEXT}))
        wait_until_drawn(page, figures)
        drawn = page.evaluate(WIDTHS)[: 2 if page_path == "compare" else 1]
        assert all(abs(width - exported) <= 4 for width in drawn), (drawn, exported)
    finally:
        context.close()

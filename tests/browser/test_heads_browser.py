"""In Chromium: the /heads URL draws the head the command line computes; clicks select heads."""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np

from tests.browser.helpers import (
    cli_maps,
    read_figure,
    screenshot_path,
    scroll_to_figure,
    tokens_of,
    wait_until_drawn,
)

TEXT = "The animal didn't cross the street because it was too tired."

# Centre of one small multiple in page coordinates, from Plotly's own axis layout.
PANEL_CENTRE = """(head) => {
  const plot = attnvizPlots()[1];
  const suffix = head === 0 ? '' : String(head + 1);
  const xa = plot._fullLayout['xaxis' + suffix], ya = plot._fullLayout['yaxis' + suffix];
  const box = attnvizBox(plot);
  return {x: box.left + xa._offset + xa._length / 2, y: box.top + ya._offset + ya._length / 2};
}"""


def cli_head(text: str, layer: int, head: int) -> tuple[list[str], np.ndarray]:
    tokens, weights = cli_maps("minilm-l6", text)
    return tokens, weights[layer, head]


def test_url_draws_the_cli_head_and_a_click_opens_another_head(server_url, page):
    query = urlencode({"model": "minilm-l6", "text": TEXT, "layer": 2, "head": 3})
    page.goto(f"{server_url}/heads?{query}")
    wait_until_drawn(page)

    figure = read_figure(page)
    tokens, weights = cli_head(TEXT, 2, 3)
    assert tokens_of(figure["x"]) == tokens_of(figure["y"]) == tokens
    np.testing.assert_array_equal(np.array(figure["z"], dtype=np.float32), weights)
    assert "layer 2 · head 3" in figure["title"]
    page.screenshot(path=str(screenshot_path("heads.png")), full_page=True)

    centre = page.evaluate(PANEL_CENTRE, 5)
    page.mouse.click(centre["x"], centre["y"])
    page.wait_for_function(
        "() => { const p = attnvizPlots()[0];"
        " return p && p.layout.title && p.layout.title.text.includes('head 5'); }",
        timeout=60_000,
    )
    wait_until_drawn(page)
    clicked = read_figure(page)
    np.testing.assert_array_equal(np.array(clicked["z"], dtype=np.float32), cli_head(TEXT, 2, 5)[1])
    assert "head=5" in page.url


def test_markup_in_tokens_is_shown_as_text_not_html(server_url, page):
    text = "<b>bold</b> <a href='http://example.invalid'>link</a>"
    page.goto(f"{server_url}/heads?" + urlencode({"text": text}))
    wait_until_drawn(page)
    ticks = page.locator(".js-plotly-plot >> nth=0").locator(".xtick text")
    assert "<" in " ".join(ticks.all_text_contents())
    assert page.locator(".js-plotly-plot a[href*='example.invalid']").count() == 0
    assert page.locator(".js-plotly-plot .xtick text b").count() == 0


# Centre of the statistic map's cell (layer, head) in page coordinates.
CELL_CENTRE = """([layer, head]) => {
  const plot = attnvizPlots()[0];
  const xa = plot._fullLayout.xaxis, ya = plot._fullLayout.yaxis;
  const box = attnvizBox(plot);
  return {x: box.left + xa._offset + xa.l2p(head), y: box.top + ya._offset + ya.l2p(layer)};
}"""

OVERVIEW_PANEL_CENTRE = """([layer, head, heads]) => {
  const plot = attnvizPlots()[0];
  const index = layer * heads + head;
  const suffix = index === 0 ? '' : String(index + 1);
  const xa = plot._fullLayout['xaxis' + suffix], ya = plot._fullLayout['yaxis' + suffix];
  const box = attnvizBox(plot);
  return {x: box.left + xa._offset + xa._length / 2, y: box.top + ya._offset + ya._length / 2};
}"""


def open_head_by_clicking(page, url: str, script: str, argument: list[int]) -> dict:
    page.goto(url)
    wait_until_drawn(page, figures=1)
    # The figure may start below the fold (captions above it): bring it into view to click.
    scroll_to_figure(page, 0)
    centre = page.evaluate(script, argument)
    page.mouse.click(centre["x"], centre["y"])
    page.wait_for_function(
        "() => { const p = attnvizPlots()[0];"
        " return p && p.layout.title && p.layout.title.text.includes('head 7'); }",
        timeout=60_000,
    )
    wait_until_drawn(page)
    return read_figure(page)


def test_clicking_an_overview_thumbnail_opens_that_head(server_url, page):
    url = f"{server_url}/heads?" + urlencode({"text": TEXT, "view": "overview"})
    figure = open_head_by_clicking(page, url, OVERVIEW_PANEL_CENTRE, [4, 7, 12])
    assert "layer 4 · head 7" in figure["title"]
    np.testing.assert_array_equal(np.array(figure["z"], dtype=np.float32), cli_head(TEXT, 4, 7)[1])
    assert "view=head" in page.url or "view=" not in page.url


def test_clicking_a_statistics_cell_opens_that_head(server_url, page):
    url = f"{server_url}/heads?" + urlencode({"text": TEXT, "view": "statistics"})
    figure = open_head_by_clicking(page, url, CELL_CENTRE, [3, 7])
    assert "layer 3 · head 7" in figure["title"]
    assert "layer=3" in page.url and "head=7" in page.url

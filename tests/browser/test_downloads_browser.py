"""In Chromium: the Download menu under a figure gives the figure and its data as files."""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

import numpy as np

from tests.browser.helpers import cli_maps, read_figure, tokens_of, wait_until_drawn

TEXT = "Cats chase mice."


def download(page, label_start: str) -> bytes:
    # Plotly's own toolbar also has a "Download plot" button: open our menu by its test id.
    page.get_by_test_id("stPopover").first.get_by_role("button").click()
    with page.expect_download(timeout=90_000) as info:
        page.get_by_test_id("stDownloadButton").filter(has_text=label_start).first.click()
    return open(info.value.path(), "rb").read()


def test_the_head_view_downloads_a_png_and_the_csv_of_what_is_shown(server_url, page):
    page.goto(f"{server_url}/heads?" + urlencode({"text": TEXT, "layer": 1, "head": 2}))
    wait_until_drawn(page)
    png = download(page, "PNG:")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    page.keyboard.press("Escape")
    rows = list(csv.reader(io.StringIO(download(page, "CSV:").decode("utf-8"))))
    tokens, weights = cli_maps("minilm-l6", TEXT)
    assert rows[0][1:] == tokens and [row[0] for row in rows[1:]] == tokens
    matrix = np.array([[float(value) for value in row[1:]] for row in rows[1:]], np.float32)
    np.testing.assert_array_equal(matrix, weights[1, 2])
    assert tokens_of(read_figure(page)["x"]) == tokens
    page.keyboard.press("Escape")
    # The run is fetched when the button is pressed (the menu holds no run): all 72 heads.
    archive = np.load(io.BytesIO(download(page, "NPZ:")), allow_pickle=False)
    assert str(archive["model"]) == "minilm-l6" and str(archive["text"]) == TEXT
    np.testing.assert_array_equal(archive["encoder_self.weights"], weights)

"""In Chromium: the browser's Back button. One press leaves a page reached from the sidebar,
and within a page Back shows the view before the last change."""

from __future__ import annotations

import pytest

from tests.browser.helpers import IDLE, read_figure, tokens_of, wait_until_drawn


def settle(page) -> None:
    """Wait for the rerun that a click or Back starts to finish."""
    page.wait_for_timeout(1000)
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(1000)


@pytest.mark.parametrize(("link", "path"), [("Translate", "/translate"), ("Heads", "/heads")])
def test_one_back_leaves_a_page_opened_from_the_sidebar(server_url, page, link, path):
    page.goto(f"{server_url}/")
    page.get_by_text("How to use it").wait_for(timeout=90_000)
    settle(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text=link).click()
    page.wait_for_url(f"**{path}?**", timeout=90_000)  # the page wrote its view into the URL
    wait_until_drawn(page, figures=1)
    settle(page)
    page.go_back()
    page.wait_for_url(f"{server_url}/", timeout=30_000)
    page.get_by_text("How to use it").wait_for(timeout=90_000)


def test_back_on_translate_shows_the_sentence_before_the_last_edit(server_url, page):
    page.goto(f"{server_url}/translate?text=The+black+cat+sleeps.")
    wait_until_drawn(page, figures=3)
    settle(page)
    box = page.get_by_label("English sentence")
    box.fill("Anna has 12 books.")
    box.press("Enter")
    page.wait_for_url("**text=Anna**", timeout=60_000)
    settle(page)
    page.go_back()
    page.wait_for_url("**text=The+black+cat**", timeout=30_000)
    settle(page)
    assert page.get_by_label("English sentence").input_value() == "The black cat sleeps."
    assert "black" in tokens_of(read_figure(page, 0)["x"])
    assert "text=The+black+cat" in page.url  # the page did not write the later view back

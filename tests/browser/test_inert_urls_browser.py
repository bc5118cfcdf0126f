"""In Chromium: Markdown and HTML in URL values show as text in the notices, with no link,
image or bold, as Streamlit's own Markdown renderer draws them."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.browser.helpers import IDLE

VALUES = {  # each short enough to be quoted whole
    "kind": "**Your session expired.** [Log in again](https://evil.example/login)",
    "scale": "![](https://evil.example/pixel.png) <b>bold</b> <i>it</i>",
    "aggregate": "www.evil.example someone@evil.example",
}


def test_a_crafted_url_shows_its_text_and_nothing_live(server_url, page):
    page.goto(f"{server_url}/heads?{urlencode(VALUES)}")
    page.wait_for_selector(IDLE, timeout=120_000)
    notices = page.locator("[data-testid='stAlertContentInfo']")
    notices.filter(has_text="session expired").first.wait_for(timeout=60_000)
    shown = " ".join(notices.all_inner_texts()).replace("\u2060", "")
    for value in VALUES.values():
        assert value in shown
    for selector in ("a", "img", "strong", "b", "em", "i"):
        assert notices.locator(selector).count() == 0, selector
    assert page.locator("a[href*='evil.example'], img[src*='evil.example']").count() == 0

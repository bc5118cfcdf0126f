"""In Chromium at projector size: presentation mode, and the copy-link button."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.browser.helpers import screenshot_path, wait_until_drawn

QUERY = {
    "text": "The animal didn't cross the street because it was too tired.",
    "layer": 2,
    "head": 3,
}
TICK_SIZE = """() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.tickfont.size"""


def open_at_projector_size(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(url)
    wait_until_drawn(page)
    return context, page


def test_presentation_mode_enlarges_labels_and_hides_the_toolbar(server_url, browser):
    context, page = open_at_projector_size(browser, f"{server_url}/heads?{urlencode(QUERY)}")
    normal_size = page.evaluate(TICK_SIZE)
    page.screenshot(path=str(screenshot_path("heads-1280x720.png")))
    context.close()

    url = f"{server_url}/heads?{urlencode(QUERY | {'present': 1})}"
    context, page = open_at_projector_size(browser, url)
    assert page.evaluate(TICK_SIZE) == 18 > (normal_size or 12)
    assert not page.locator("[data-testid='stToolbar']").is_visible()
    assert "present=1" in page.url
    page.screenshot(path=str(screenshot_path("heads-presentation-1280x720.png")))
    context.close()


def test_copy_link_puts_the_current_view_on_the_clipboard(server_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server_url)
    page = context.new_page()
    page.goto(f"{server_url}/heads?{urlencode(QUERY)}")
    wait_until_drawn(page)
    page.get_by_role("button", name="Copy link to this view").click()
    page.get_by_text("Link copied").wait_for(timeout=10_000)
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.url
    assert "layer=2" in copied and "head=3" in copied
    context.close()


def test_presentation_mode_stays_on_from_page_to_page(server_url, browser):
    url = f"{server_url}/heads?{urlencode(QUERY | {'present': 1})}"
    context, page = open_at_projector_size(browser, url)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Compare").click()
    page.wait_for_url("**/compare**", timeout=30_000)
    wait_until_drawn(page)
    assert "present=1" in page.url
    assert page.get_by_role("switch", name="Presentation mode").is_checked()
    assert page.evaluate(TICK_SIZE) == 18
    assert not page.locator("[data-testid='stToolbar']").is_visible()
    context.close()

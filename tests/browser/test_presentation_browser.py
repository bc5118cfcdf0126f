"""In Chromium at projector size: presentation mode, and the copy-link button."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tests.browser.helpers import IDLE, new_context, screenshot_path, wait_until_drawn

QUERY = {
    "text": "The animal didn't cross the street because it was too tired.",
    "layer": 2,
    "head": 3,
}
# What a reader must see, inside its figure and clear of each other: titles, top tick labels,
# the Plotly toolbar; and formulas either whole or scrollable.
FIND_CUT_CONTENT = """() => {
  // Everything a reader must see, within its figure and clear of each other.
  const problems = [];
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1
    && a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  attnvizPlots().forEach((plot, index) => {
    const box = plot.getBoundingClientRect();  // the figure's own frame's coordinates
    const title = plot.querySelector('.gtitle');
    const name = (title && title.textContent) || `figure ${index}`;
    const ticks = [...plot.querySelectorAll('.xtick text, .x2tick text')]
      .map(t => t.getBoundingClientRect());
    if (title) {
      const t = title.getBoundingClientRect();
      if (!inside(t, box)) problems.push(`${name}: title outside its figure`);
      if (ticks.some(k => overlap(t, k))) problems.push(`${name}: title over the tick labels`);
    }
    ticks.forEach(k => {
      if (!inside(k, box)) problems.push(`${name}: a tick label outside its figure`);
    });
    const bar = plot.querySelector('.modebar');
    if (bar && bar.getBoundingClientRect().width > 0) {
      const m = bar.getBoundingClientRect();
      if (ticks.some(k => overlap(m, k))) problems.push(`${name}: toolbar over the tick labels`);
      if (title && overlap(m, title.getBoundingClientRect()))
        problems.push(`${name}: toolbar over the title`);
    }
  });
  document.querySelectorAll('.katex-display').forEach(f => {
    if (f.scrollWidth > f.clientWidth + 1 && getComputedStyle(f).overflowX !== 'auto')
      problems.push(`formula cut: ${f.textContent.slice(0, 30)}`);
  });
  return problems;
}"""
TICK_SIZE = """() => attnvizPlots()[0]._fullLayout.xaxis.tickfont.size"""


def open_at_projector_size(browser, url: str):
    context = new_context(browser, 1280, 720)
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
    context = new_context(browser, 1280, 720)
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


@pytest.mark.parametrize("path", ["translate", "heads", "compare", "tasks"])
def test_nothing_is_cut_or_covered_at_1280x720_in_presentation_mode(server_url, browser, path):
    context, page = open_at_projector_size(browser, f"{server_url}/{path}?present=1")
    for summary in page.locator("[data-testid='stExpander'] summary").all():
        summary.click()  # the step-through and the scoring comparison too
    page.wait_for_timeout(1000)
    page.wait_for_selector(IDLE, timeout=90_000)
    page.wait_for_timeout(1500)
    assert page.evaluate(FIND_CUT_CONTENT) == []
    context.close()

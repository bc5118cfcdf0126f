"""In Chromium: live training on /classroom shows its progress and redraws the alignment
while it runs, with no click from the student; Stop ends it and offers the snapshot slider."""

from __future__ import annotations

import re

from tests.browser.helpers import IDLE

PROGRESS = "[data-testid='stProgress']"
# The step number shown in the progress bar's text, or -1 before training starts.
STEP = """() => {
  const bar = document.querySelector("[data-testid='stProgress']");
  const match = bar && bar.innerText.match(/step (\\d+)/);
  return match ? Number(match[1]) : -1;
}"""
# The alignment's title ("step 120: <date> → <output>"; Streamlit's theme wraps it in <b>).
TITLE = """() => {
  const plot = attnvizPlots()[0];
  return plot && plot.layout.title ? plot.layout.title.text.replace(/<\\/?b>/g, '') : '';
}"""


def test_live_training_progress_is_visible_and_stop_offers_snapshots(server_url, page, tmp_path):
    page.goto(f"{server_url}/classroom?seconds=30&text=27+Nov+2026")
    page.wait_for_selector(IDLE, timeout=90_000)
    page.get_by_role("button", name="Start training").click()

    page.wait_for_function(f"() => ({STEP})() >= 1", timeout=90_000)
    page.wait_for_function(f"() => ({TITLE})().startsWith('step ')", timeout=60_000)
    step, title = page.evaluate(STEP), page.evaluate(TITLE)
    text = page.locator(PROGRESS).inner_text()
    assert "loss" in text and "held-out exact" in text

    # Polling alone moves the bar on and redraws the alignment.
    page.wait_for_function(f"() => ({STEP})() >= {step + 10}", timeout=60_000)
    page.wait_for_function(f"() => ({TITLE})() !== {title!r}", timeout=60_000)
    assert re.match(r"step \d+: 27 Nov 2026 → ", page.evaluate(TITLE))
    page.screenshot(path=str(tmp_path / "classroom-live.png"), full_page=True)

    page.get_by_role("button", name="Stop").click()
    page.get_by_text(re.compile(r"^Stopped: step \d+")).wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert page.get_by_text("Scrub through training").count() == 1
    assert page.locator(PROGRESS).count() == 0

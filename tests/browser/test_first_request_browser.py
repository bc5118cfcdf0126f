"""A server whose very first request is a page URL still opens that page through app.py.

Streamlit decides per process, at its first session, whether `pages/` is a legacy multipage
folder (`attnviz.ui.navigation.require_navigation`); the shared server of the other browser
tests has long decided, so this module starts its own.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import running_server


@pytest.fixture(scope="module")
def fresh_server_url(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("fresh-server")) as url:
        yield url


def test_a_first_visit_straight_to_a_page_gets_the_apps_navigation(fresh_server_url, page):
    page.goto(f"{fresh_server_url}/heads")
    page.get_by_role("heading", name="Heads").wait_for(timeout=120_000)
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_text("Start").wait_for(timeout=30_000)  # the app's titles, not file names
    assert page.title() == "attnviz"  # app.py's page config ran
    assert "Translate" in nav.inner_text()
    assert "heads" not in nav.inner_text().split()  # the legacy mode lists file names
    assert page.url.endswith("/heads")

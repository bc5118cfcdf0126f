"""Markdown and HTML in every URL value of every page stay text: no link, image, emphasis.

Streamlit renders notices, captions, Markdown, widget labels and radio options as GitHub
Markdown. These tests render what each page sent with a CommonMark parser (markdown-it, the
same grammar) and check that nothing a user supplied became an element, and that GitHub's
autolink patterns (found after escapes are resolved) are broken too.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from attnviz.ui.safe_text import code_span, escape_markdown, quoted
from tests.app.helpers import open_page

EVIL = (
    "**Your session expired.** [Log in again](https://evil.example/login) "
    "![](https://evil.example/pixel.png) <b>bold</b> <img src=x> www.evil.example "
    "someone@evil.example $x^2$ :red[red] ~~gone~~ `code` # heading"
)
PAGE_PARAMS = {
    "heads": (
        "model text kind layer head view scale aggregate statistic log hide merge token "
        "key_token present"
    ),
    "compare": "model text kind layer head model2 text2 kind2 layer2 head2 words off present",
    "translate": "model text step beam hyp present",
    "classroom": "text seconds present",
}
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# What GitHub's autolink-literal extension turns into links inside plain text.
AUTOLINK = re.compile(r"(?i)(https?://|www\.)|[\w.+-]+@[\w-]+\.[\w.-]+")
TAG = re.compile(r"<(/?)([a-z0-9]+)[^>]*>")
# Our own Markdown uses these (bold labels, lists in lessons, a code span); links, images,
# headings and raw HTML never come from us.
OURS = {"p", "strong", "em", "code", "ul", "ol", "li"}
# Words of EVIL that must never be inside an element: they come from the user.
MARKERS = ("session", "expired", "bold", "gone", "heading", "evil", "red", "x^2")


def rendered(markdown: str) -> str:
    return MARKDOWN.render(markdown)


def live_parts(markdown: str) -> list[str]:
    """What of the rendered Markdown is not plain text that we wrote: foreign elements,
    elements wrapping a user's words, autolinks."""
    html = rendered(markdown)
    parts = [m.group(0) for m in TAG.finditer(html) if m.group(2) not in OURS]
    for name in ("strong", "em", "code"):
        for inner in re.findall(rf"<{name}>(.*?)</{name}>", html, re.S):
            parts += [f"<{name}>{inner}" for marker in MARKERS if marker in inner.lower()]
    return parts + [m.group(0) for m in AUTOLINK.finditer(html)]


def test_escaped_text_renders_as_exactly_its_characters():
    html = rendered(escape_markdown(EVIL))
    assert live_parts(escape_markdown(EVIL)) == []
    shown = html.removeprefix("<p>").removesuffix("</p>\n").replace("\u2060", "")
    shown = shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert shown == EVIL.replace("&quot;", '"')


def test_unescaped_text_would_have_been_live():  # the check above can fail
    parts = live_parts(EVIL)
    assert "<strong>Your session expired." in parts
    assert '<a href="https://evil.example/login">' in parts and "<img" in " ".join(parts)


def test_lines_become_one_line_and_long_values_are_cut():
    assert "\n" not in escape_markdown("a\n# b\n- c")
    assert quoted("9" * 5000) == repr("9" * 80 + "…") + " (5,000 characters)"
    assert rendered(code_span("a`b")).startswith("<p><code>a`b</code>")


def markdown_sent(app) -> list[str]:
    """Every piece of Markdown the page sent: notices, text, captions, labels, options."""
    texts = []
    for kind in ("info", "warning", "error", "success", "markdown", "caption"):
        texts += [element.proto.body for element in app.get(kind)]
    for widgets in (app.radio, app.selectbox, app.text_input, app.text_area, app.toggle):
        for item in widgets:
            texts.append(item.label)
    for radio in app.radio:
        texts += list(radio.proto.options)
    return texts


@pytest.mark.parametrize("page", PAGE_PARAMS)
def test_markdown_and_html_in_every_url_value_stay_text(page):
    app = open_page(page, **dict.fromkeys(PAGE_PARAMS[page].split(), EVIL))
    assert not app.exception
    sent = markdown_sent(app)
    assert any("session expired" in text for text in sent), "the value is quoted in a notice"
    live = {text[:80]: parts for text in sent if (parts := live_parts(text))}
    assert live == {}

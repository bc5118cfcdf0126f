"""rnnenc-en-es, the translator without attention, on the pages that offer it: its translation,
and a sentence saying why there is nothing to draw, never an error."""

from __future__ import annotations

import attnviz
from attnviz.models.base import no_attention_sentence
from tests.app.helpers import figures, figures_by_key, open_page

TEXT = "The children eat bread."
WHY = "rnnenc-en-es has no attention to draw"


def test_translate_shows_the_translation_and_says_why_there_is_no_alignment():
    app = open_page("translate", model="rnnenc-en-es", text=TEXT)
    assert not app.exception
    run = attnviz.run("rnnenc-en-es", TEXT)
    assert any(run.output_text in block.value for block in app.markdown)
    assert any(WHY in info.value for info in app.info)
    assert not figures(app) and not app.error


def test_the_scoring_comparison_leaves_rnnenc_out():
    app = open_page("translate", text=TEXT)
    assert not app.exception
    compared = [name for name in figures_by_key(app, "translate.") if name.startswith("compare.")]
    assert compared and "compare.rnnenc-en-es" not in compared


def test_heads_and_compare_say_why_instead_of_an_error():
    for page in ("heads", "compare"):
        app = open_page(page, model="rnnenc-en-es", text=TEXT)
        assert not app.exception, page
        assert any(WHY in info.value for info in app.info), page
        assert not app.error, page


def test_the_sentence_names_the_lesson():
    assert "/classroom?lesson=why-attention" in no_attention_sentence("rnnenc-en-es")
    assert "nothing to draw" in no_attention_sentence("some-model")

"""Clickable figures: a click on each page does what its caption says, and a session that
clicks through heads keeps one widget record per chart, with no Streamlit internals patched.

A clickable figure is a keyed component (`attnviz.ui.clickable_chart`); `click_chart` sends
the value its page sends on a click. `st.plotly_chart(on_select=...)`, used before, hashed
the figure into the widget's id, and Streamlit 1.67 kept the record of every id a session drew.
"""

from __future__ import annotations

import pytest

from tests.app.helpers import chart, click_chart, figures_by_key, open_page, widget

TEXT = "the cat sat on the mat"


def records(app) -> tuple[int, int]:
    """(widget metadata entries, id-to-key entries) of the AppTest's session."""
    state = app._session_state._state
    return len(state._new_widget_state.widget_metadata), len(state._key_id_mapper.id_key_mapping)


def test_clicking_through_heads_keeps_the_widget_records_flat():
    app = open_page("heads", text=TEXT)
    before = records(app)
    for head in range(1, 7):
        widget(app.selectbox, "Head").set_value(head).run()  # a new small-multiples figure
        assert not app.exception
    for head in (2, 9, 4):
        click_chart(app, "heads.grid", [head])
        assert widget(app.selectbox, "Head").value == head
    assert records(app) == before


def test_a_click_on_a_small_multiple_opens_that_head_and_the_url_follows():
    app = click_chart(open_page("heads", text=TEXT, layer="2"), "heads.grid", [5])
    assert not app.exception
    assert app.query_params["head"] == "5" and app.query_params["layer"] == "2"
    assert "layer 2 · head 5" in chart(app, "heads.main")["layout"]["title"]["text"]


@pytest.mark.parametrize("view", ["overview", "statistics"])
def test_a_click_on_a_whole_model_view_opens_that_head(view):
    app = open_page("heads", text=TEXT, view=view)
    app = click_chart(app, f"heads.{view}", [4, 7])
    assert not app.exception
    assert app.query_params["layer"] == "4" and app.query_params["head"] == "7"
    assert "layer 4 · head 7" in chart(app, "heads.main")["layout"]["title"]["text"]


def test_a_click_on_a_row_of_the_alignment_opens_that_step():
    app = open_page("translate", text="The black cat sleeps.")
    app = click_chart(app, "translate.alignment", [2])
    assert not app.exception
    assert app.query_params["step"] == "2"


def test_a_click_on_the_head_distance_matrix_opens_that_pair():
    app = click_chart(open_page("compare", text="Birds sing."), "compare.similarity", [14, 30])
    assert not app.exception
    # MiniLM has 12 heads per layer: index 14 is layer 1 head 2, 30 is layer 2 head 6.
    assert (app.query_params["layer"], app.query_params["head"]) == ("1", "2")
    assert (app.query_params["layer2"], app.query_params["head2"]) == ("2", "6")


def test_a_click_on_a_score_opens_that_head_in_the_induction_lesson():
    app = open_page("classroom", lesson="induction-heads")
    before = figures_by_key(app, "lesson.induction.")["head_map"]["layout"]["title"]["text"]
    assert "layer 1 · head 3" not in before
    app = click_chart(app, "lesson.induction.previous_map", [1, 3])
    assert not app.exception
    opened = figures_by_key(app, "lesson.induction.")["head_map"]
    assert "layer 1 · head 3" in opened["layout"]["title"]["text"]


def test_a_click_on_a_bar_is_kept_for_its_text_only(tiny_folders):
    from attnviz.ui.generate import text_digest

    gpt2 = str(tiny_folders["gpt2"])
    app = open_page("generate", model=gpt2, text="the cat sat on", seed="2")
    bars = figures_by_key(app, "generate.")["bars"]
    chosen = 3
    app = click_chart(app, "generate.bars", [chosen], context=text_digest("the cat sat on"))
    assert not app.exception
    marked = figures_by_key(app, "generate.")["bars"]
    assert marked != bars  # the clicked bar is now the highlighted one
    # The same click value seen under a new text is no choice: the seed's draw is shown.
    stale = click_chart(
        open_page("generate", model=gpt2, text="the cat sat on", seed="2"),
        "generate.bars",
        [chosen],
        context=text_digest("another text"),
    )
    assert figures_by_key(stale, "generate.")["bars"] == bars

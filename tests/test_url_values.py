"""URL values that do not fit: the notice states the range that is really allowed."""

from __future__ import annotations

from attnviz.ui.url import read_int


def test_a_range_that_starts_above_zero_is_stated_as_it_is():
    assert read_int({"beam": "9"}, "beam", 6, default=1, lowest=1) == (
        1,
        "beam 9 does not exist (1 to 5); showing beam 1 instead.",
    )
    assert read_int({"beam": "0"}, "beam", 6, default=1, lowest=1)[0] == 1
    assert read_int({"beam": "1"}, "beam", 6, default=1, lowest=1) == (1, None)


def test_a_single_allowed_value_is_named_alone():
    value, notice = read_int({"head": "1"}, "head", 1)
    assert value == 0 and "(only 0)" in notice


def test_values_in_range_and_missing_values_give_no_notice():
    assert read_int({"layer": "5"}, "layer", 6) == (5, None)
    assert read_int({}, "layer", 6, default=2) == (2, None)

"""The Austen data step: chapters, the held-out split, clear errors; the dictionary check."""

from __future__ import annotations

import pytest

from attnviz.training import austen
from attnviz.training.dictionary import dictionary_share, is_word, words_of

NOVEL = [
    "EMMA", "", "By Jane Austen", "", "CHAPTER I", "", "Emma Woodhouse, handsome,",
    "clever, and _rich_.", "", "She was the youngest.", "", "CHAPTER II", "",
    "Mr. Weston was a native of Highbury.", "", "Chapter 3", "", "The third chapter.",
]  # fmt: skip


def test_chapters_join_lines_into_paragraphs_and_drop_front_matter_and_markup():
    assert austen.chapters(NOVEL) == [
        ["Emma Woodhouse, handsome, clever, and rich.", "She was the youngest."],
        ["Mr. Weston was a native of Highbury."],
        ["The third chapter."],
    ]


def test_every_twentieth_chapter_is_held_out_and_nothing_else():
    lines = []
    for number in range(45):
        lines += [f"CHAPTER {number + 1}", "", f"Paragraph of chapter {number}.", ""]
    train, held_out, summary = austen.split_chapters({"emma": lines})
    assert held_out == [f"Paragraph of chapter {n}." for n in (10, 30)]
    assert len(train) == 43 and not set(train) & set(held_out)
    assert summary["held_out_chapters"] == 2 and summary["chapters"] == 45


def test_missing_novels_name_the_debian_package(tmp_path):
    pytest.importorskip("rdata")
    with pytest.raises(RuntimeError, match="r-cran-janeaustenr"):
        austen.read_novels(tmp_path)


def test_missing_rdata_names_the_requirements(monkeypatch, tmp_path):
    import builtins

    real_import = builtins.__import__

    def no_rdata(name, *args, **kwargs):
        if name == "rdata":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_rdata)
    with pytest.raises(RuntimeError, match="rdata is missing"):
        austen.read_novels(tmp_path)


@pytest.mark.skipif(not austen.JANEAUSTENR_DATA.exists(), reason="r-cran-janeaustenr absent")
def test_the_packaged_novels_read_as_six_books_of_chapters():
    pytest.importorskip("rdata")
    novels = austen.read_novels()
    assert tuple(novels) == austen.NOVELS
    assert [len(austen.chapters(novels[name])) for name in ("prideprejudice", "persuasion")] == [
        61,
        24,
    ]


def test_dictionary_words_include_inflections_and_function_words_not_nonsense():
    for word in ("walked", "horses", "kindest", "stopped", "happily", "the", "herself", "father's"):
        assert is_word(word), word
    for word in ("xqzt", "flumbering", "qwerty"):
        assert not is_word(word), word
    assert words_of("Don't go -- Emma's 3 dogs!") == ["Don't", "go", "Emma's", "dogs"]
    share, count = dictionary_share(["the cat sat", "xqzt"])
    assert (share, count) == (0.75, 4)

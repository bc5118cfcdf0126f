"""The sentiment data step on small fixtures: parsing, labels, the split, our reviews."""

from __future__ import annotations

import io
import tarfile

import pytest

from attnviz.training import sentiment_data as data

RATINGS = (
    "1\t2.26666666667\tThe Rock is destined to be the new ''Conan''.\r\n"
    "2\t-0.6\tEffective but too tepid biopic\r\n"
    "3\t0.3\tA film that exists.\r\n"
    "4\t-0.4\tIt is a movie.\r\n"
    "5\t-2.5\tA dull, lifeless mess.\r\n"
    "not a rating line\r\n"
    "6\t0.5\tPleasant enough.\r\n"
)


def test_ratings_parse_into_id_rating_sentence_with_quotes_restored():
    rows = data.parse_ratings(RATINGS)
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[0][1] == pytest.approx(2.26666666667)
    assert rows[0][2] == 'The Rock is destined to be the new "Conan".'


def test_labels_are_the_sign_and_near_neutral_sentences_are_dropped():
    examples = data.label_sentences(data.parse_ratings(RATINGS))
    assert examples == [
        ('The Rock is destined to be the new "Conan".', 1),
        ("Effective but too tepid biopic", 0),
        ("A dull, lifeless mess.", 0),
        ("Pleasant enough.", 1),  # |0.5| is kept: the band is |rating| < 0.5
    ]


def test_the_split_is_seeded_disjoint_and_eighty_ten_ten():
    examples = [(f"sentence {i}", i % 2) for i in range(1000)]
    first, again = data.split(examples, seed=3), data.split(examples, seed=3)
    assert first == again
    assert [len(first[name]) for name in ("train", "valid", "test")] == [800, 100, 100]
    texts = [set(s for s, _ in first[name]) for name in ("train", "valid", "test")]
    assert not (texts[0] & texts[1] or texts[0] & texts[2] or texts[1] & texts[2])
    assert data.split(examples, seed=4)["test"] != first["test"]


def test_splits_round_trip_through_the_files(tmp_path):
    splits = {"train": [("good", 1)], "valid": [("bad", 0)], "test": [("fine\tish", 1)]}
    data.write_split(tmp_path, splits)
    assert data.read_split(tmp_path, "train") == [("good", 1)]
    assert data.read_split(tmp_path, "test") == [("fine\tish", 1)]
    with pytest.raises(ValueError, match=r"attnviz\.training data sentiment"):
        data.read_split(tmp_path / "missing", "train")


def test_a_malformed_line_is_named():
    with pytest.raises(ValueError, match="Line 2"):
        data.read_examples("positive\tgood\nmaybe\tso-so\n")


def _sdist_with(tmp_path, ratings: bytes):
    inner = io.BytesIO()
    with tarfile.open(fileobj=inner, mode="w:gz") as archive:
        info = tarfile.TarInfo(data.RATINGS_FILE)
        info.size = len(ratings)
        archive.addfile(info, io.BytesIO(ratings))
    path = tmp_path / data.SDIST_FILE
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(data.INNER_ARCHIVE)
        info.size = len(inner.getvalue())
        archive.addfile(info, io.BytesIO(inner.getvalue()))
    return path


def test_the_ratings_are_read_from_inside_the_sdist_and_their_digest_checked(tmp_path):
    sdist = _sdist_with(tmp_path, RATINGS.encode())
    with pytest.raises(ValueError, match="digest"):
        data.ratings_text(sdist)  # our fixture is not the published file


def test_our_everyday_reviews_are_at_least_sixty_and_balanced():
    reviews = data.everyday_reviews()
    assert len(reviews) >= 60
    assert sum(label for _, label in reviews) == len(reviews) // 2
    assert len({text for text, _ in reviews}) == len(reviews)


def test_the_nested_archive_is_read_when_the_digest_matches(tmp_path, monkeypatch):
    import hashlib

    monkeypatch.setattr(data, "RATINGS_SHA256", hashlib.sha256(RATINGS.encode()).hexdigest())
    assert data.ratings_text(_sdist_with(tmp_path, RATINGS.encode())) == RATINGS

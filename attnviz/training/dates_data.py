"""Dates written many ways, paired with their ISO form, for the `bahdanau-dates` model.

Formats (slashes are American month/day, dots European day.month, as people write them):
"Thursday, 27 November 2026", "27 November 2026", "November 27, 2026", "Nov 27th 2026",
"27 Nov 2026", "the 27th of November 2026", "11/27/26", "11/27/2026", "27.11.2026", "27.11.26",
"2026-11-27", "20261127". Noise: letter case, abbreviated or dotted names, dropped commas,
leading zeros. Two-digit years mean 1950-2049.
"""

from __future__ import annotations

import datetime
import random
import zlib
from collections.abc import Callable

FIRST_DAY = datetime.date(1950, 1, 1)
LAST_DAY = datetime.date(2049, 12, 31)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SHORT_WEEKDAYS = {"Tuesday": ["Tue", "Tues"], "Wednesday": ["Wed"], "Thursday": ["Thu", "Thurs"]}


def iso(date: datetime.date) -> str:
    return date.isoformat()


def is_held_out(date: datetime.date) -> bool:
    """One date in ten (by a hash of the date) is never trained on: the test dates."""
    return zlib.crc32(iso(date).encode()) % 10 == 0


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def _month_name(date: datetime.date, rng: random.Random) -> str:
    name = MONTHS[date.month - 1]
    if rng.random() < 0.5:
        return name
    short = "Sept" if name == "September" and rng.random() < 0.3 else name[:3]
    return short + ("." if short != name and rng.random() < 0.3 else "")


def _weekday_name(date: datetime.date, rng: random.Random) -> str:
    name = WEEKDAYS[date.weekday()]
    if rng.random() < 0.6:
        return name
    return rng.choice(SHORT_WEEKDAYS.get(name, [name[:3]]))


def _day(date: datetime.date, rng: random.Random) -> str:
    return f"{date.day:02d}" if rng.random() < 0.3 else str(date.day)


def _month_number(date: datetime.date, rng: random.Random) -> str:
    return f"{date.month:02d}" if rng.random() < 0.5 else str(date.month)


def _comma(rng: random.Random) -> str:
    return "," if rng.random() < 0.6 else ""


def _spoken(date: datetime.date, rng: random.Random) -> str:
    """Day month year, month day year, with or without weekday and ordinal."""
    day = _ordinal(date.day) if rng.random() < 0.4 else _day(date, rng)
    month = _month_name(date, rng)
    if rng.random() < 0.5:
        body = f"{day} {month} {date.year}"
        if rng.random() < 0.2:
            body = f"the {_ordinal(date.day)} of {month} {date.year}"
    else:
        body = f"{month} {day}{_comma(rng)} {date.year}"
    if rng.random() < 0.35:
        body = f"{_weekday_name(date, rng)}{_comma(rng)} {body}"
    return body


def _numeric(date: datetime.date, rng: random.Random) -> str:
    year = str(date.year) if rng.random() < 0.5 else f"{date.year % 100:02d}"
    choice = rng.random()
    if choice < 0.4:
        return f"{_month_number(date, rng)}/{_day(date, rng)}/{year}"
    if choice < 0.8:
        return f"{_day(date, rng)}.{_month_number(date, rng)}.{year}"
    if choice < 0.93:
        return iso(date)
    return date.strftime("%Y%m%d")


def _case_noise(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return text.lower()
    if roll < 0.25:
        return text.upper()
    return text


def write_date(date: datetime.date, rng: random.Random) -> str:
    """One way a person might write `date`."""
    text = _spoken(date, rng) if rng.random() < 0.6 else _numeric(date, rng)
    return _case_noise(text, rng)


def random_date(rng: random.Random) -> datetime.date:
    return FIRST_DAY + datetime.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def sample_pairs(
    count: int, seed: int, keep: Callable[[datetime.date], bool] = lambda d: not is_held_out(d)
) -> list[tuple[str, str]]:
    """`count` pairs (written date, ISO date) of dates for which `keep` holds."""
    rng = random.Random(seed)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < count:
        date = random_date(rng)
        if keep(date):
            pairs.append((write_date(date, rng), iso(date)))
    return pairs


def held_out_pairs(count: int, seed: int = 1) -> list[tuple[str, str]]:
    """Pairs of dates never used in training, in the trained formats."""
    return sample_pairs(count, seed, keep=is_held_out)

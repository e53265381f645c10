"""Reduced-precision dates (macros/dates.py): real calendar dates by precision,
and an end before a start only when it is certain whatever the precision."""

from __future__ import annotations

import datetime as dt

import pytest

from macros.kb.checks.dates import in_words
from macros.kb.dates import PartialDate, ends_before_start, parse_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026", PartialDate(2026)),
        ("2026-06", PartialDate(2026, 6)),
        ("2026-06-08", PartialDate(2026, 6, 8)),
        ("2024-02-29", PartialDate(2024, 2, 29)),  # a leap year
        ("2000-02-29", PartialDate(2000, 2, 29)),  # divisible by 400: a leap year
        ("2026-12-31", PartialDate(2026, 12, 31)),
        ("0001-01-01", PartialDate(1, 1, 1)),
        ("9999-12", PartialDate(9999, 12)),
    ],
)
def test_real_dates_parse(text, expected):
    assert parse_date(text) == expected
    assert parse_date(text).iso() == text


@pytest.mark.parametrize(
    "text, reason",
    [
        ("2026-02-30", "February 2026 has no day 30"),
        ("2026-02-29", "February 2026 has no day 29"),  # not a leap year
        ("1900-02-29", "February 1900 has no day 29"),  # divisible by 100, not 400
        ("2026-04-31", "April 2026 has no day 31"),
        ("2026-06-00", "June 2026 has no day 0"),
        ("2026-13", "month 13 does not exist"),
        ("2026-00", "month 00 does not exist"),
        ("2026-13-01", "month 13 does not exist"),
        ("0000", "year 0000 does not exist"),
    ],
)
def test_impossible_dates_fail_with_a_reason(text, reason):
    with pytest.raises(ValueError) as error:
        parse_date(text)
    assert str(error.value) == reason


@pytest.mark.parametrize(
    "text",
    [
        "",
        "26",
        "2026-6",
        "2026-06-8",
        "2026/06/08",
        "June 2026",
        "2026-06-08T00:00",
        "2026-06-08 ",
        " 2026",
        "2026\n",
        "\u0662\u0660\u0662\u0666",  # Arabic-Indic digits are not ASCII digits
    ],
)
def test_malformed_dates_fail(text):
    with pytest.raises(ValueError, match="is not YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_date(text)


def test_precision_earliest_latest_and_human():
    year, month, day = parse_date("2024"), parse_date("2024-02"), parse_date("2024-02-29")
    assert (year.precision, month.precision, day.precision) == ("year", "month", "day")
    assert (year.earliest(), year.latest()) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert (month.earliest(), month.latest()) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert day.earliest() == day.latest() == dt.date(2024, 2, 29)
    assert parse_date("2026-02").latest() == dt.date(2026, 2, 28)
    assert (year.human(), month.human(), day.human()) == ("2024", "February 2024", "29 February 2024")


def test_sort_key_puts_less_precise_dates_first_within_their_period():
    dates = [parse_date(t) for t in ("2026-06-08", "2026", "2026-06", "2025-12-31", "2026-06-07")]
    assert [d.iso() for d in sorted(dates, key=PartialDate.sort_key)] == [
        "2025-12-31",
        "2026",
        "2026-06",
        "2026-06-07",
        "2026-06-08",
    ]


@pytest.mark.parametrize(
    "start, end, before",
    [
        ("2026-06-08", "2026-06-07", True),
        ("2026-06-08", "2026-06-08", False),  # the same day
        ("2026-06-08", "2026-06", False),  # the end month contains the start day
        ("2026-06-08", "2026-05", True),  # the whole end month is before
        ("2026-06-08", "2026", False),  # the end year contains the start day
        ("2026-06-08", "2025", True),
        ("2026-06", "2026-06-01", False),  # the start month may begin on that day
        ("2026-06", "2026-05-31", True),
        ("2026", "2026-01-01", False),
        ("2026", "2025-12-31", True),
        ("2026-06", "2026", False),
        ("2026", "2026-06", False),
        ("2025", "2026", False),
        ("2026-06-01", "2026-06-30", False),
    ],
)
def test_ends_before_start_with_mixed_precision(start, end, before):
    assert ends_before_start(parse_date(start), parse_date(end)) is before


# -- a date in the words of its citation (the date-not-in-quote rule) ----------------------------------------


@pytest.mark.parametrize(
    ("date", "words", "found"),
    [
        ("2026-06-08", "This strategic shift, announced on June 8, 2026", True),
        ("2026-06-08", "on 8 June 2026", True),
        ("2026-06-08", "June 8th, 2026", True),
        ("2026-06-08", "Jun. 8, 2026", True),
        ("2026-06-08", "filed 2026-06-08", True),
        ("2026-06-08", "in June 2026", False),  # less precise than the date: the day is not given
        ("2026-06-08", "June 18, 2026", False),
        ("2026-06-08", "June 8, 2025", False),
        ("2026-06", "in June 2026", True),
        ("2026-06", "June, 2026", True),
        ("2026-06", "on June 8, 2026", True),  # a day of the month gives the month
        ("2026-06", "in July 2026", False),
        ("2026-06", "in 2026", False),
        ("2025-09", "Sept. 2025", True),
        ("2026", "in 2026", True),
        ("2026", "on June 8, 2026", True),
        ("2026", "20261 units", False),
        ("2026-06-08", "on June 8, 2026, typed with a typographic apostrophe’s neighbour", True),
        ("2026-06-08", "June\u00a08,\u00a02026", True),  # no-break spaces: normalized first
    ],
)
def test_the_words_that_give_a_date(date, words, found):
    assert in_words(parse_date(date), words) is found

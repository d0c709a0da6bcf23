from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opp_docs.intake.dates import check_birth_date, parse_date
from opp_docs.intake.values import ValueProblem


@pytest.mark.parametrize(
    "text",
    [
        "1-3-2014",
        "01-03-2014",
        "1/3/2014",
        "2014-03-01",
        "1 maart 2014",
        "1 mrt 2014",
        "1 mrt. 2014",
        "01.03.2014",
        " 1-3-2014\u00a0",
        "1-3-2014 00:00",
        "1 MAART 2014",
        "2014-03-01 00:00:00",
        "41699",
    ],
)
def test_date_texts(text: str) -> None:
    assert parse_date(text) == dt.date(2014, 3, 1)


def test_date_cells_and_serials() -> None:
    assert parse_date(dt.datetime(2014, 3, 1, 0, 0)) == dt.date(2014, 3, 1)
    assert parse_date(dt.date(2014, 3, 1)) == dt.date(2014, 3, 1)
    assert parse_date(41699) == dt.date(2014, 3, 1)
    assert parse_date(41699.0) == dt.date(2014, 3, 1)
    assert parse_date(None) is None
    assert parse_date("  ") is None


@pytest.mark.parametrize("value", [20140103, 20140103.0, "20140103", " 20140103 "])
def test_eight_digits_year_month_day_are_a_date(value: object) -> None:
    # A date typed as a number, or exported as one: read the other way round (day-month-year)
    # the year would fall before 1300, so the reading is never in doubt.
    assert parse_date(value) == dt.date(2014, 1, 3)


@pytest.mark.parametrize(
    ("value", "problem", "fix"),
    [
        (
            15032014,
            "In de cel staat het getal 15032014, geen datum.",
            "Typ de geboortedatum als dag-maand-jaar met streepjes: 15-03-2014, als dat de "
            "bedoelde datum is.",
        ),
        (
            "15032014",
            "In de cel staat het getal 15032014, geen datum.",
            "Typ de geboortedatum als dag-maand-jaar met streepjes: 15-03-2014, als dat de "
            "bedoelde datum is.",
        ),
        (
            20141303,
            "Datum '20141303' bestaat niet.",
            "Vul de geboortedatum in als dag-maand-jaar, bijvoorbeeld 3-5-2014.",
        ),
        (
            18991231,
            "In de cel staat het getal 18991231, geen datum.",
            "Vul de geboortedatum in als dag-maand-jaar, bijvoorbeeld 3-5-2014.",
        ),
        (
            10**12,
            "'1000000000000' is geen datum.",
            "Vul de geboortedatum in als dag-maand-jaar, bijvoorbeeld 3-5-2014.",
        ),
    ],
)
def test_numbers_that_are_no_date(value: object, problem: str, fix: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_date(value, "de geboortedatum")
    assert (info.value.problem, info.value.fix) == (problem, fix)


@given(st.dates(min_value=dt.date(1911, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_date_round_trips_through_every_form(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    forms = [
        f"{day.day}-{day.month}-{day.year}",
        f"{day:%d-%m-%Y}",
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),
        serial,
        int(f"{day:%Y%m%d}"),
    ]
    for form in forms:
        assert parse_date(form) == day


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31-02-2014", "bestaat niet"),
        ("1-3-14", "vier cijfers"),
        ("1 smarch 2014", "geen maand"),
        ("morgen", "geen datum"),
        ("=TODAY()", "geen datum"),
    ],
)
def test_bad_dates(text: str, fragment: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_date(text, "de geboortedatum")
    assert fragment in info.value.problem
    assert "Vul de geboortedatum in als dag-maand-jaar" in info.value.fix


def test_message_example_from_the_brief() -> None:
    with pytest.raises(ValueProblem) as info:
        parse_date("31-02-2014", "de geboortedatum")
    assert str(info.value) == (
        "Datum '31-02-2014' bestaat niet. Vul de geboortedatum in als dag-maand-jaar, "
        "bijvoorbeeld 3-5-2014."
    )


def test_birth_date_age_window() -> None:
    first = dt.date(2026, 8, 1)
    assert check_birth_date(dt.date(2014, 5, 3), first)
    assert check_birth_date(dt.date(2017, 8, 1), first)  # exactly 9
    with pytest.raises(ValueProblem, match="8 jaar"):
        check_birth_date(dt.date(2017, 8, 2), first)
    with pytest.raises(ValueProblem, match="22 jaar"):
        check_birth_date(dt.date(2004, 8, 1), first)


# The serials' day as the intake counted it before it used openpyxl's from_excel.
def by_hand(serial: float) -> dt.date:
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(serial))


@given(st.floats(min_value=3654, max_value=73050.999999, allow_nan=False, allow_infinity=False))
def test_serials_with_a_time_give_the_day_they_always_gave(serial: float) -> None:
    if serial <= 73050:
        assert parse_date(serial) == by_hand(serial)


@pytest.mark.parametrize("serial", [41699.5, 41699.9999999, 41699.99999999999, 3654, 73050])
def test_a_time_just_before_midnight_stays_on_its_day(serial: float) -> None:
    # openpyxl rounds a time to the millisecond; the day is the serial's whole part.
    assert parse_date(serial) == by_hand(serial)


@pytest.mark.parametrize("serial", [59, 60, 61, 3653, 73051])
def test_serials_around_excels_29_february_1900_are_no_intake_date(serial: int) -> None:
    with pytest.raises(ValueProblem, match="geen datum"):
        parse_date(serial)

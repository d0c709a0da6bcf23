"""Deadlines for the intake cohort and for students who get a plan during the year."""

from __future__ import annotations

import datetime as dt

import pytest

from opp_docs.config import Config, MonthDay
from opp_docs.decide.deadlines import compute_deadlines
from opp_docs.models import Leerling, SchoolYear

D = dt.date
YEAR = SchoolYear(2026)


def leerling(signaal: dt.date | None = None) -> Leerling:
    return Leerling("990001", "Test", "Kim", D(2014, 5, 3), signaaldatum=signaal)


@pytest.mark.parametrize(
    ("signaal", "expected"),
    [
        (
            None,
            {
                "informatiebrief": D(2026, 9, 17),
                "bron": D(2026, 10, 1),
                "opp": D(2026, 10, 15),
                "ondertekening": D(2026, 10, 29),
                "tussenevaluatie": D(2027, 2, 1),
                "eindevaluatie": D(2027, 7, 1),
            },
        ),
        (
            D(2026, 11, 2),
            {
                "informatiebrief": D(2026, 11, 16),
                "bron": D(2026, 12, 14),
                "opp": D(2026, 12, 14),
                "ondertekening": D(2026, 12, 28),
                "tussenevaluatie": D(2027, 2, 1),
                "eindevaluatie": D(2027, 7, 1),
            },
        ),
        (
            # A late signal: the interim evaluation falls halfway to the final one.
            D(2027, 3, 1),
            {
                "informatiebrief": D(2027, 3, 15),
                "bron": D(2027, 4, 12),
                "opp": D(2027, 4, 12),
                "ondertekening": D(2027, 4, 26),
                "tussenevaluatie": D(2027, 5, 29),
                "eindevaluatie": D(2027, 7, 1),
            },
        ),
        (
            # A signal in June: the final evaluation moves to next July.
            D(2027, 6, 1),
            {
                "informatiebrief": D(2027, 6, 15),
                "bron": D(2027, 7, 13),
                "opp": D(2027, 7, 13),
                "ondertekening": D(2027, 7, 27),
                "tussenevaluatie": D(2028, 2, 1),
                "eindevaluatie": D(2028, 7, 1),
            },
        ),
    ],
)
def test_deadlines(signaal: dt.date | None, expected: dict[str, dt.date]) -> None:
    assert compute_deadlines(leerling(signaal), YEAR, Config()).as_dict() == expected


def test_settings_change_the_deadlines() -> None:
    config = Config(
        bron_datum=MonthDay(9, 20),
        opp_datum=MonthDay(10, 1),
        dagen_tot_ondertekening=7,
        tussenevaluatie=MonthDay(1, 15),
        eindevaluatie=MonthDay(6, 20),
        weken_na_signaal=4,
    )
    cohort = compute_deadlines(leerling(), YEAR, config)
    assert (cohort.bron, cohort.opp, cohort.ondertekening) == (
        D(2026, 9, 20),
        D(2026, 10, 1),
        D(2026, 10, 8),
    )
    assert (cohort.tussenevaluatie, cohort.eindevaluatie) == (D(2027, 1, 15), D(2027, 6, 20))
    assert compute_deadlines(leerling(D(2026, 11, 2)), YEAR, config).opp == D(2026, 11, 30)


def test_informatiebrief_comes_before_the_plan() -> None:
    # Four weeks before the plan's deadline, but never before the signal.
    late = compute_deadlines(leerling(D(2026, 11, 2)), YEAR, Config(weken_na_signaal=2))
    assert late.informatiebrief == D(2026, 11, 2)
    for signaal in (None, D(2026, 9, 1), D(2027, 1, 10)):
        d = compute_deadlines(leerling(signaal), YEAR, Config())
        assert d.informatiebrief <= d.opp <= d.ondertekening < d.tussenevaluatie < d.eindevaluatie


def test_29_february_setting_in_a_common_year() -> None:
    d = compute_deadlines(leerling(), YEAR, Config(tussenevaluatie=MonthDay(2, 29)))
    assert d.tussenevaluatie == D(2027, 2, 28)

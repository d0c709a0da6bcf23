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


# --- documents made after the procedure's dates ----------------------------------------------


def test_a_cohort_started_on_1_december_gets_the_late_start_term() -> None:
    d = compute_deadlines(leerling(), YEAR, Config(), D(2026, 12, 1))
    assert d.as_dict() == {
        # Two weeks later: four weeks before the plan would be before the day itself.
        "informatiebrief": D(2026, 12, 15),
        # Past the 1 October count: registered with the plan's date as its begin date.
        "bron": D(2027, 1, 12),
        # Six weeks after the day the documents are made, as after a signal.
        "opp": D(2027, 1, 12),
        "ondertekening": D(2027, 1, 26),
        "tussenevaluatie": D(2027, 2, 1),
        "eindevaluatie": D(2027, 7, 1),
    }
    assert d.peildatum == D(2026, 12, 1)
    assert d.verschoven == {
        "informatiebrief": D(2026, 9, 17),
        "bron": D(2026, 10, 1),
        "opp": D(2026, 10, 15),
        "ondertekening": D(2026, 10, 29),
    }


def test_in_time_the_procedure_dates_stand() -> None:
    procedure = compute_deadlines(leerling(), YEAR, Config())
    for day in (D(2026, 6, 1), D(2026, 9, 1), D(2026, 9, 17)):
        assert compute_deadlines(leerling(), YEAR, Config(), day) == procedure


def test_late_for_the_letter_only_moves_the_plan_but_keeps_the_bron_date() -> None:
    d = compute_deadlines(leerling(), YEAR, Config(), D(2026, 9, 20))
    assert (d.informatiebrief, d.bron, d.opp) == (D(2026, 10, 4), D(2026, 10, 1), D(2026, 11, 1))
    assert set(d.verschoven) == {"informatiebrief", "opp", "ondertekening"}


def test_a_passed_bron_date_alone_becomes_the_plans_date() -> None:
    # Letter on the plan's day: only BRON (1 October) has passed on 5 October.
    config = Config(dagen_informatiebrief_voor_opp=0)
    d = compute_deadlines(leerling(), YEAR, config, D(2026, 10, 5))
    assert (d.informatiebrief, d.bron, d.opp) == (D(2026, 10, 15), D(2026, 10, 15), D(2026, 10, 15))
    assert d.verschoven == {"bron": D(2026, 10, 1)}


def test_the_late_start_term_is_a_setting() -> None:
    d = compute_deadlines(leerling(), YEAR, Config(weken_bij_late_start=3), D(2026, 12, 1))
    assert (d.opp, d.ondertekening) == (D(2026, 12, 22), D(2027, 1, 5))
    # Never earlier than the procedure: late for the letter, the plan keeps 15 October.
    d = compute_deadlines(leerling(), YEAR, Config(weken_bij_late_start=1), D(2026, 9, 20))
    assert (d.informatiebrief, d.opp) == (D(2026, 9, 20), D(2026, 10, 15))


def test_a_signal_student_started_late_counts_from_that_day() -> None:
    d = compute_deadlines(leerling(D(2026, 11, 2)), YEAR, Config(), D(2026, 12, 1))
    assert (d.informatiebrief, d.bron, d.opp) == (D(2026, 12, 15), D(2027, 1, 12), D(2027, 1, 12))
    assert d.verschoven["opp"] == D(2026, 12, 14)


@pytest.mark.parametrize("signaal", [None, D(2026, 11, 2)])
def test_no_deadline_before_the_day_the_documents_are_made(signaal: dt.date | None) -> None:
    """Whatever the day: every deadline on or after it, in procedure order."""
    for day in (D(2026, 8, 1) + dt.timedelta(days=n) for n in range(0, 365, 3)):
        d = compute_deadlines(leerling(signaal), YEAR, Config(), day)
        assert day <= d.informatiebrief <= d.opp <= d.ondertekening, day
        assert day <= d.bron <= max(d.opp, D(2026, 10, 1)), day
        assert d.ondertekening < d.tussenevaluatie < d.eindevaluatie, day
        assert day < d.opp, day
        moved = d.as_dict()
        assert all(moved[k] != was for k, was in d.verschoven.items())

"""When a plan counts as signed, and on which day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from opp_docs.decide.signing import signed_on
from opp_docs.models import Leerling, Scan, SignedFrom

D = dt.date


def student(datum: dt.date | None = None) -> Leerling:
    return Leerling("990001", "Test", "Kim", D(2014, 5, 3), datum_ondertekening=datum)


def scan(name: str, day: dt.date) -> Scan:
    return Scan(Path("intake") / name, name, day)


def test_not_signed_without_a_scan_or_a_date() -> None:
    assert signed_on(student(), []) is None


def test_the_intakes_date_wins_over_the_files() -> None:
    scans = [scan("990001.jpg", D(2026, 10, 25))]
    assert signed_on(student(D(2026, 10, 20)), scans) == (D(2026, 10, 20), SignedFrom.INTAKE)


def test_the_intakes_date_counts_without_a_scan() -> None:
    assert signed_on(student(D(2026, 10, 20)), []) == (D(2026, 10, 20), SignedFrom.INTAKE)


def test_of_several_scans_the_earliest_day_counts() -> None:
    scans = [scan("990001 beter.jpg", D(2026, 11, 2)), scan("990001.jpg", D(2026, 10, 22))]
    assert signed_on(student(), scans) == (D(2026, 10, 22), SignedFrom.FILE)
